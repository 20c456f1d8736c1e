/**
 * The libp2p {@code /noise} security protocol: Noise_XX_25519_ChaChaPoly_SHA256 with the libp2p
 * identity payload, inlined muxer negotiation and BE16-framed transport messages.
 *
 * <p>Only {@link org.parley.libp2p.noise.NoiseTransport} is public. Inside, the Noise framework
 * proper ({@code CipherState}, {@code SymmetricState}, {@code HandshakeState}) knows nothing of
 * libp2p; {@code NoiseHandshake} adds the libp2p payload and checks; {@code NoiseTransport} drives
 * a handshake over a connection and hands the result to {@code NoiseSecureChannel}.
 */
package org.parley.libp2p.noise;
