/**
 * The libp2p WebRTC transport ({@code /webrtc}, libp2p specs webrtc/webrtc.md and
 * webrtc/README.md) on webrtc-java's native libwebrtc.
 *
 * <p>{@link org.parley.libp2p.transport.webrtc.WebRtcTransport} signals a connection with
 * {@code /webrtc-signaling/0.0.1} ({@link org.parley.libp2p.transport.webrtc.SignalingCodec}) over
 * an open libp2p connection to the peer, and hands the host a
 * {@link org.parley.libp2p.transport.webrtc.WebRtcConnection} that is already authenticated (the
 * SDPs' DTLS fingerprints travel over the authenticated signaling connection and DTLS checks them;
 * the spec has no Noise handshake for {@code /webrtc}) and multiplexed: one stream per data
 * channel, framed by {@link org.parley.libp2p.transport.webrtc.DataChannelCodec} with FIN,
 * STOP_SENDING, RESET_STREAM and FIN_ACK. {@link org.parley.libp2p.transport.webrtc.WebRtcSupport}
 * loads the native library once and says why WebRTC is off when it cannot.
 *
 * <p>Over relays: {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>} signals over a relayed
 * (limited) connection, which the host opens first when it has none; signaling is served on
 * limited connections. {@code RelayedUpgrades} upgrades peers that this host reaches only through
 * a relay on its own; the host then moves new streams to the direct connection and closes the
 * relayed one.
 *
 * <p>Native callbacks arrive on libwebrtc's threads; classes here hand them to queues, futures and
 * short critical sections, never wait on them, and never call into libwebrtc from one of its own
 * callbacks or while holding a lock those callbacks take.
 */
package org.parley.libp2p.transport.webrtc;
