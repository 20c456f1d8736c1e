package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.PublicKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;

/**
 * An upgraded connection as the host keeps it: the session, the authenticated peer, the time of
 * the last stream activity (for the idle timeout) and whether identify has finished. Thread safe.
 */
final class HostConnection implements Connection {

    /**
     * go-libp2p's negotiation timeout: multistream-select on a new stream takes one round trip; a
     * peer that has not answered in 10 s is stalling and the stream is reset.
     */
    static final Duration STREAM_NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);

    private final SecureChannel channel;
    private final MuxedSession session;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final boolean initiator;
    private final Instant openedAt = Instant.now();
    /** Completed when the first identify of the peer on this connection finished, well or not. */
    private final CompletableFuture<Void> identified = new CompletableFuture<>();
    /** ping.md: at most one outbound ping stream per peer at a time; we keep it per connection. */
    private final ReentrantLock pingLock = new ReentrantLock();
    private volatile long lastActivityNanos = System.nanoTime();
    /** The end of the peer id, to name this connection's threads without encoding it each time. */
    private final String tag;

    HostConnection(Upgrader.Upgraded upgraded, Multiaddr localAddress, Multiaddr remoteAddress, boolean initiator) {
        this.channel = upgraded.channel();
        this.session = upgraded.session();
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.initiator = initiator;
        String peer = channel.remotePeer().toBase58();
        this.tag = peer.substring(Math.max(0, peer.length() - 6));
    }

    @Override
    public PeerId remotePeer() {
        return channel.remotePeer();
    }

    @Override
    public PublicKey remotePublicKey() {
        return channel.remotePublicKey();
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public Stream newStream(List<String> protocols) throws IOException {
        MuxedStream stream = session.openStream();
        touch();
        StreamDeadline deadline = StreamDeadline.start(stream, STREAM_NEGOTIATION_TIMEOUT);
        try {
            String protocol = MultistreamSelect.select(stream, protocols);
            deadline.close();
            return new HostStream(stream, protocol, this);
        } catch (ProtocolNotSupportedException e) {
            deadline.close();
            stream.reset();
            touch();
            throw new ProtocolNotSupportedException("peer " + remotePeer() + " supports none of " + protocols, protocols);
        } catch (IOException | RuntimeException e) {
            deadline.close();
            stream.reset();
            touch();
            if (deadline.expired()) {
                throw new ConnectionClosedException("peer " + remotePeer() + " did not answer multistream-select for "
                        + protocols + " within " + STREAM_NEGOTIATION_TIMEOUT.toMillis() + " ms", e);
            }
            throw e;
        }
    }

    @Override
    public int streamCount() {
        return session.streamCount();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return (initiator ? "outbound" : "inbound") + " connection to " + remotePeer() + " at " + remoteAddress;
    }

    MuxedSession session() {
        return session;
    }

    /** A short name of the peer for thread names. */
    String tag() {
        return tag;
    }

    /** Marks stream activity: the idle timeout counts from the last one. */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** How long the connection has had no streams, or zero while it has some. */
    Duration idleTime(long nowNanos) {
        if (session.streamCount() > 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, nowNanos - lastActivityNanos));
    }

    CompletableFuture<Void> identified() {
        return identified;
    }

    ReentrantLock pingLock() {
        return pingLock;
    }
}
