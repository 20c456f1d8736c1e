/**
 * identify ({@code /ipfs/id/1.0.0}) and identify push ({@code /ipfs/id/push/1.0.0}): peers tell
 * each other their key, addresses, protocols and agent. {@link org.parley.libp2p.protocol.identify.Identify}
 * runs both roles over a host stream; {@link org.parley.libp2p.protocol.identify.IdentifyInfo} is
 * what is said.
 */
package org.parley.libp2p.protocol.identify;
