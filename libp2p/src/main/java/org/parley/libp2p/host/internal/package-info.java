/**
 * The host's implementation: connection upgrade, connection registry and limits, peerstore, event
 * dispatch, identify wiring. Not an API: use {@link org.parley.libp2p.host.Host}.
 */
package org.parley.libp2p.host.internal;
