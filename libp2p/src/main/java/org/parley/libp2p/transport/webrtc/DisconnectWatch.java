package org.parley.libp2p.transport.webrtc;

import java.time.Duration;
import java.util.concurrent.Future;

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

    private final OneShotTimers scheduler;
    private final Duration grace;
    private final Runnable onDead;

    // Guarded by this: bumped on every state change, so a timer armed for an earlier
    // disconnection does nothing once the connection came back (even if it already fired).
    private long epoch;
    private boolean disconnected;
    private Future<?> timer;

    /**
     * @param scheduler runs the grace timer
     * @param grace how long a disconnection may last
     * @param onDead closes the connection; called at most once per disconnection, on the scheduler's thread
     */
    DisconnectWatch(OneShotTimers scheduler, Duration grace, Runnable onDead) {
        this.scheduler = scheduler;
        this.grace = grace;
        this.onDead = onDead;
    }

    /** The peer connection became {@code disconnected}: arms the timer unless it is armed already. */
    synchronized void disconnected() {
        if (disconnected) {
            return;
        }
        disconnected = true;
        long armedAt = ++epoch;
        timer = scheduler.schedule(() -> expire(armedAt), grace);
    }

    /** The peer connection is {@code connected} again: disarms the timer. */
    synchronized void connected() {
        epoch++;
        disconnected = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(long armedAt) {
        synchronized (this) {
            if (!disconnected || armedAt != epoch) {
                return;
            }
            // Spent: this disconnection closes the connection once.
            epoch++;
            timer = null;
        }
        onDead.run();
    }
}
