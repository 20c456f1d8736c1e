package org.parley.libp2p.transport.webrtc;

import java.time.Duration;

/**
 * Notices a data channel whose closing the peer never completes.
 *
 * <p>Closing a data channel resets its SCTP stream in both directions; libwebrtc reports the
 * channel closed, and frees its stream id, only once the peer's reset has been performed too. With
 * js-libp2p peers (node-datachannel, i.e. usrsctp) and the libwebrtc in webrtc-java 0.14.0, a reset
 * the peer requests while we reset the same stream ourselves and some of its DATA is still missing
 * here (lost to a full UDP receive buffer during a transfer) was sometimes never performed. From
 * then on that peer could reset no other stream either, and every data channel it opened on a
 * stream id it reused never opened: new streams from it hung. {@link DataChannelStream} avoids
 * that race by leaving the close to the peer that finished first (closing the channel itself only
 * after {@link DataChannelStream#PEER_CLOSE_GRACE}); this watch remains the safety net for a close
 * of ours that still never completes. A peer completes a close within a round trip or a few
 * retransmissions, so a close still pending after {@link #TIMEOUT} means the connection is wedged,
 * and {@code onStuck} closes it (the host then falls back to its other connections and may upgrade
 * again). Thread safe.
 */
final class CloseCompletionWatch {

    /**
     * How long a started close may take to complete: a peer's stack answers our reset with its own
     * at once, so even three lost reset requests in a row (RTO 1 + 2 + 4 s) fit.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final GraceAlarm alarm;
    /** Guarded by this: once the close completed, a later close of ours arms nothing. */
    private boolean completed;

    /**
     * @param timers runs the timeout
     * @param timeout how long a close may take
     * @param onStuck called at most once, on the timer's thread, if the close does not complete in time
     */
    CloseCompletionWatch(OneShotTimers timers, Duration timeout, Runnable onStuck) {
        this.alarm = new GraceAlarm(timers, timeout, onStuck);
    }

    /** We closed the channel (our stream reset is on its way): starts the timeout once. */
    synchronized void closeStarted() {
        if (!completed) {
            alarm.arm();
        }
    }

    /** The channel is closed in both directions. */
    synchronized void closeCompleted() {
        completed = true;
        alarm.disarm();
    }
}
