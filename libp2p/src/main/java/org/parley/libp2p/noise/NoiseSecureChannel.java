package org.parley.libp2p.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection after a completed Noise handshake: BE16-framed ChaCha20-Poly1305 transport
 * messages, at most 65519 plaintext bytes each, over the raw duplex it owns.
 *
 * <p>Threading: one reader and one writer may run concurrently (each direction has its own key,
 * counter and buffers); {@link #close()} may come from any thread. A frame that fails
 * authentication is a {@link PeerFaultException} and closes the channel.
 */
final class NoiseSecureChannel implements SecureChannel {

    private static final Logger log = LoggerFactory.getLogger(NoiseSecureChannel.class);

    private final Duplex raw;
    private final PeerId remotePeer;
    private final PublicKey remoteKey;
    private final List<String> remoteMuxers;
    private final String earlyMuxer;
    private final NoiseChannelInput in;
    private final NoiseChannelOutput out;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Takes over {@code raw} and the reader, which may already hold the first transport frames. */
    NoiseSecureChannel(Duplex raw, NoiseFrameReader frames, NoiseHandshake.Result session) {
        this.raw = raw;
        this.remotePeer = session.remotePeer();
        this.remoteKey = session.remoteKey();
        this.remoteMuxers = session.remoteMuxers();
        this.earlyMuxer = session.earlyMuxer();
        this.in = new NoiseChannelInput(this, frames, session.ciphers().receive());
        this.out = new NoiseChannelOutput(this, raw.out(), session.ciphers().send());
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public PeerId remotePeer() {
        return remotePeer;
    }

    @Override
    public PublicKey remotePublicKey() {
        return remoteKey;
    }

    @Override
    public String earlyMuxer() {
        return earlyMuxer;
    }

    @Override
    public List<String> remoteMuxers() {
        return remoteMuxers;
    }

    /** Closes the raw connection. Bytes still buffered in {@link #out()} are dropped: flush first. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            raw.close();
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void checkOpen() throws ConnectionClosedException {
        if (closed.get()) {
            throw new ConnectionClosedException("Noise channel to " + remotePeer + " is closed");
        }
    }

    /**
     * Turns an I/O failure into the exception to throw: a peer fault closes the channel with one
     * log line; anything else after our own close is a quiet {@link ConnectionClosedException}.
     */
    IOException failed(IOException e) {
        if (e instanceof PeerFaultException) {
            if (closed.compareAndSet(false, true)) {
                log.debug("closing Noise channel to {}: {}", remotePeer, e.getMessage()); // the host reports it
                raw.close();
            }
            return e;
        }
        if (closed.get()) {
            return new ConnectionClosedException("Noise channel to " + remotePeer + " is closed", e);
        }
        if (e instanceof Libp2pException) {
            return e;
        }
        return new ConnectionClosedException("Noise channel to " + remotePeer + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "NoiseSecureChannel[" + remotePeer + "]";
    }
}
