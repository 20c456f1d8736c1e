package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.RawConnection;
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
 *
 * <p>Times come from the host's clock, so a test can drive the idle timeout with a fake one. With
 * the system clock a step of the wall clock shifts idle times by as much: a step back keeps an idle
 * connection longer, a step forward closes idle (stream-less) connections early, which costs a
 * redial at worst.
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
    private final String transport;
    private final boolean limited;
    private final Clock clock;
    private final Instant openedAt;
    /** Completed when the first identify of the peer on this connection finished, well or not. */
    private final CompletableFuture<Void> identified = new CompletableFuture<>();
    /** ping.md: at most one outbound ping stream per peer at a time; we keep it per connection. */
    private final ReentrantLock pingLock = new ReentrantLock();
    private volatile long lastActivityMillis;
    /** Our address as the peer reported it in identify; null until then. */
    private volatile Multiaddr observedAddress;
    /** The end of the peer id, to name this connection's threads without encoding it each time. */
    private final String tag;

    HostConnection(Upgrader.Upgraded upgraded, RawConnection raw, boolean initiator, Clock clock) {
        this(upgraded, raw.localAddress(), raw.remoteAddress(), raw.transport(), raw.limited(), initiator, clock);
    }

    HostConnection(Upgrader.Upgraded upgraded, Multiaddr localAddress, Multiaddr remoteAddress, String transport,
            boolean limited, boolean initiator, Clock clock) {
        this.transport = transport;
        this.limited = limited;
        this.clock = clock;
        this.openedAt = clock.instant();
        this.lastActivityMillis = clock.millis();
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
    public String transport() {
        return transport;
    }

    @Override
    public boolean limited() {
        return limited;
    }

    @Override
    public Multiaddr observedAddress() {
        return observedAddress;
    }

    /** Records our address as the peer saw it (identify's observedAddr). */
    void observedAddress(Multiaddr address) {
        observedAddress = address;
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
        return (initiator ? "outbound" : "inbound") + (limited ? " limited" : "") + " connection to " + remotePeer() + " at " + remoteAddress;
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
        lastActivityMillis = clock.millis();
    }

    /** How long the connection has had no streams at {@code nowMillis} (of the host's clock), or zero while it has some. */
    Duration idleTime(long nowMillis) {
        if (session.streamCount() > 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.max(0, nowMillis - lastActivityMillis));
    }

    CompletableFuture<Void> identified() {
        return identified;
    }

    ReentrantLock pingLock() {
        return pingLock;
    }
}
