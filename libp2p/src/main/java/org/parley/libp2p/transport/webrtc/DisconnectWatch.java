package org.parley.libp2p.transport.webrtc;

import java.time.Duration;

/**
 * Ends a WebRTC connection that stays {@code disconnected} for {@link #GRACE}.
 *
 * <p>libwebrtc reports a peer connection {@code disconnected} about 5 s after the last packet from
 * the peer (its ICE receiving timeout), but {@code failed} only 10 s later: waiting for
 * {@code failed} left a connection to a crashed peer open for about 15 s, with streams opened on it
 * hanging. {@code disconnected} can also be a passing network hiccup that ICE recovers from, so the
 * connection is given {@link #GRACE} to come back before it is closed; the host then falls back to
 * its other connections (a relay) and may upgrade again. js-libp2p's webrtc-direct transport closes
 * on {@code disconnected} at once. Thread safe.
 */
final class DisconnectWatch {

    /** How long a connection may stay disconnected before it counts as dead. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final GraceAlarm alarm;

    /**
     * @param scheduler runs the grace timer
     * @param grace how long a disconnection may last
     * @param onDead closes the connection; called at most once per disconnection, on the scheduler's thread
     */
    DisconnectWatch(OneShotTimers scheduler, Duration grace, Runnable onDead) {
        this.alarm = new GraceAlarm(scheduler, grace, onDead);
    }

    /** The peer connection became {@code disconnected}: arms the timer unless it is armed already. */
    void disconnected() {
        alarm.arm();
    }

    /** The peer connection is {@code connected} again: disarms the timer. */
    void connected() {
        alarm.disarm();
    }
}
