package org.parley.libp2p.noise;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p {@code /noise} security transport: a Noise_XX_25519_ChaChaPoly_SHA256 handshake that
 * authenticates both peers' identity keys, then an encrypted {@link SecureChannel}.
 *
 * <p>Each instance makes a fresh X25519 static key that lives only in memory, and signs it once
 * with the identity key. Thread safe: any number of handshakes may run at once, each on its
 * caller's thread.
 */
public final class NoiseTransport implements SecureTransport {

    public static final String PROTOCOL_ID = "/noise";

    private static final Logger log = LoggerFactory.getLogger(NoiseTransport.class);
    /** TCP, WebSocket and relayed connections use an empty prologue (webrtc-direct does not). */
    private static final byte[] EMPTY_PROLOGUE = new byte[0];

    private final PrivateKey identity;
    private final Aead.Factory aead;
    private final X25519.KeyPair staticKey;
    private final byte[] identitySig;

    /** A transport for {@code identity} with the default AEAD implementation. */
    public NoiseTransport(PrivateKey identity) {
        this(identity, Aead.CHACHA20_POLY1305);
    }

    /** A transport whose ChaCha20-Poly1305 comes from {@code aead}, for benchmarks and comparisons. */
    public NoiseTransport(PrivateKey identity, Aead.Factory aead) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.aead = Objects.requireNonNull(aead, "aead");
        this.staticKey = X25519.generate();
        this.identitySig = NoiseHandshake.signStaticKey(identity, staticKey.publicKey());
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    @Override
    public SecureChannel secureOutbound(Duplex raw, PeerId expectedPeer, List<String> localMuxers, Duration timeout)
            throws IOException {
        return handshake(raw, true, expectedPeer, localMuxers, timeout);
    }

    @Override
    public SecureChannel secureInbound(Duplex raw, List<String> localMuxers, Duration timeout) throws IOException {
        return handshake(raw, false, null, localMuxers, timeout);
    }

    private SecureChannel handshake(Duplex raw, boolean initiator, PeerId expectedPeer, List<String> localMuxers,
            Duration timeout) throws IOException {
        byte[] payload = NoiseHandshake.encodePayload(identity, identitySig, localMuxers);
        HandshakeState noise = new HandshakeState(initiator, staticKey, EMPTY_PROLOGUE, aead);
        return run(raw, new NoiseHandshake(noise, payload, localMuxers, expectedPeer), timeout);
    }

    /**
     * Runs {@code handshake} over {@code raw} within {@code timeout}. On any failure the raw
     * connection is closed before the exception leaves.
     *
     * @throws PeerFaultException if the peer breaks the protocol or is not who we expected
     * @throws ConnectionClosedException if the connection ends or the deadline passes first
     */
    static NoiseSecureChannel run(Duplex raw, NoiseHandshake handshake, Duration timeout) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Noise handshake timeout must be positive, got " + timeout);
        }
        HandshakeDeadline deadline = HandshakeDeadline.start(raw, timeout);
        NoiseFrameReader frames = new NoiseFrameReader(raw.in());
        NoiseHandshake.Result result;
        try {
            while (!handshake.isComplete()) {
                if (handshake.isMyTurn()) {
                    raw.out().write(NoiseFrames.frame(handshake.writeMessage()));
                    raw.out().flush();
                } else if (frames.next()) {
                    handshake.readMessage(frames.buffer(), frames.frameOffset(), frames.frameLength());
                } else {
                    throw new ConnectionClosedException("connection closed during the Noise handshake, before message "
                            + handshake.nextMessageNumber());
                }
            }
            result = handshake.finish();
        } catch (IOException e) {
            boolean inTime = deadline.finish();
            raw.close();
            throw handshakeFailure(e, inTime, timeout);
        } catch (RuntimeException e) {
            deadline.finish();
            raw.close();
            throw e;
        }
        if (!deadline.finish()) {
            raw.close();
            throw timedOut(timeout, null);
        }
        return new NoiseSecureChannel(raw, frames, result);
    }

    private static IOException handshakeFailure(IOException e, boolean inTime, Duration timeout) {
        if (!inTime) {
            return timedOut(timeout, e);
        }
        if (e instanceof PeerFaultException fault) {
            log.debug("Noise handshake failed: {}", fault.getMessage()); // the host reports it, rate limited
            return fault;
        }
        if (e instanceof Libp2pException known) {
            return known;
        }
        return new ConnectionClosedException("connection failed during the Noise handshake: " + e.getMessage(), e);
    }

    private static ConnectionClosedException timedOut(Duration timeout, IOException cause) {
        String message = "Noise handshake timed out after " + timeout.toMillis() + " ms";
        return cause == null ? new ConnectionClosedException(message) : new ConnectionClosedException(message, cause);
    }

    @Override
    public String toString() {
        return "NoiseTransport[" + PeerId.fromPublicKey(identity.publicKey()) + "]";
    }
}
