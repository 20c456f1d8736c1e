package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.core.SecureTransport;
import org.parley.libp2p.core.SecuredMuxedConnection;
import org.parley.libp2p.core.StreamMuxer;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.multistream.ProtocolNotSupportedException;
import org.parley.libp2p.peer.PeerId;

/**
 * Turns a raw connection into a muxed session: multistream-select {@code /noise}, the Noise
 * handshake (offering the muxer inside it), then multistream-select of the muxer unless Noise
 * already agreed on it. Thread safe; each upgrade runs on its caller's thread.
 *
 * <p>The whole upgrade has one deadline: when it passes, the raw connection is closed, which wakes
 * whichever step is blocked. A {@link SecuredMuxedConnection} (from a transport that secures and
 * multiplexes itself) is taken as it is, after checking its peer.
 */
final class Upgrader {

    /** A secured, muxed connection and the channel under it. */
    record Upgraded(SecureChannel channel, MuxedSession session) {}

    private final SecureTransport security;
    private final StreamMuxer muxer;
    private final Duration timeout;
    private final ScheduledExecutorService timer;

    Upgrader(SecureTransport security, StreamMuxer muxer, Duration timeout, ScheduledExecutorService timer) {
        this.security = security;
        this.muxer = muxer;
        this.timeout = timeout;
        this.timer = timer;
    }

    /**
     * Upgrades a connection we dialed. On failure {@code raw} is closed.
     *
     * @param expectedPeer the peer the address named, or null to accept whoever answers
     * @throws PeerFaultException if the remote is not {@code expectedPeer} or breaks a protocol
     * @throws ConnectionClosedException if the connection ends or the deadline passes
     */
    Upgraded outbound(Duplex raw, PeerId expectedPeer) throws IOException {
        if (raw instanceof SecuredMuxedConnection ready) {
            return adopt(ready, expectedPeer);
        }
        return run(raw, true, expectedPeer);
    }

    /** Upgrades a connection we accepted. On failure {@code raw} is closed. */
    Upgraded inbound(Duplex raw) throws IOException {
        if (raw instanceof SecuredMuxedConnection ready) {
            return adopt(ready, null);
        }
        return run(raw, false, null);
    }

    private static Upgraded adopt(SecuredMuxedConnection ready, PeerId expectedPeer) throws PeerFaultException {
        PeerId remote = ready.channel().remotePeer();
        if (expectedPeer != null && !expectedPeer.equals(remote)) {
            ready.session().close();
            ready.close();
            throw new PeerFaultException("dialed " + expectedPeer + " but the remote authenticated as " + remote);
        }
        return new Upgraded(ready.channel(), ready.session());
    }

    private Upgraded run(Duplex raw, boolean initiator, PeerId expectedPeer) throws IOException {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            expired.set(true);
            raw.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            SecureChannel channel = secure(raw, initiator, expectedPeer, deadlineNanos);
            if (expectedPeer != null && !expectedPeer.equals(channel.remotePeer())) {
                throw new PeerFaultException("dialed " + expectedPeer + " but the remote authenticated as "
                        + channel.remotePeer());
            }
            String agreed = channel.earlyMuxer();
            if (agreed == null) {
                agreed = initiator
                        ? MultistreamSelect.select(channel, List.of(muxer.protocolId()))
                        : MultistreamSelect.handle(channel, Set.of(muxer.protocolId()));
            } else if (!agreed.equals(muxer.protocolId())) {
                throw new PeerFaultException("Noise agreed on muxer '" + agreed + "', which we did not offer; expected '"
                        + muxer.protocolId() + "'");
            }
            if (!deadline.cancel(false) || expired.get()) {
                throw timedOut(null);
            }
            return new Upgraded(channel, muxer.newSession(channel, initiator));
        } catch (ProtocolNotSupportedException e) {
            raw.close();
            throw new PeerFaultException("remote refused " + e.protocols() + ", which every libp2p TCP peer must speak",
                    e);
        } catch (IOException | RuntimeException e) {
            deadline.cancel(false);
            raw.close();
            // Noise enforces the remaining time itself and may notice the deadline first.
            boolean late = expired.get() || System.nanoTime() - deadlineNanos >= 0;
            if (late && !(e instanceof PeerFaultException)) {
                throw timedOut(e);
            }
            throw e;
        }
    }

    private SecureChannel secure(Duplex raw, boolean initiator, PeerId expectedPeer, long deadlineNanos)
            throws IOException {
        List<String> muxers = List.of(muxer.protocolId());
        if (initiator) {
            MultistreamSelect.select(raw, List.of(security.protocolId()));
            return security.secureOutbound(raw, expectedPeer, muxers, remaining(deadlineNanos));
        }
        MultistreamSelect.handle(raw, Set.of(security.protocolId()));
        return security.secureInbound(raw, muxers, remaining(deadlineNanos));
    }

    private ConnectionClosedException timedOut(Exception cause) {
        return new ConnectionClosedException("connection upgrade did not finish within " + timeout.toMillis() + " ms",
                cause);
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
    }
}
