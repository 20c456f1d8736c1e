/**
 * The host's implementation: connection upgrade, connection registry and limits, admission of
 * inbound handshakes ({@code HandshakeAdmission}), the connection manager's trimming
 * ({@code ConnectionManager}), rate-limited logging of peer faults ({@code MisbehaviourLog}),
 * peerstore (identify results per connection), event dispatch, identify wiring. Not an API: use
 * {@link org.parley.libp2p.host.Host}.
 */
package org.parley.libp2p.host.internal;
