package org.parley.libp2p.transport.webrtc;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs an action once a condition has lasted a grace period: {@link #arm} when it begins,
 * {@link #disarm} when it ends. Armed twice, it runs the action once; once it has run, it stays
 * spent until disarmed. A timer that fires after a disarm (already running when cancelled, or armed
 * for an earlier spell) does nothing. What {@link DisconnectWatch} and {@link CloseCompletionWatch}
 * share. Thread safe.
 */
final class GraceAlarm {

    private final OneShotTimers timers;
    private final Duration grace;
    private final Runnable action;

    // Guarded by this: bumped on every arm and disarm, so only the timer of the current spell acts.
    private long spell;
    private boolean armed;
    private Future<?> timer;

    /**
     * @param timers runs the grace timer
     * @param grace how long the condition may last
     * @param action called at most once per spell, on the timer's thread
     */
    GraceAlarm(OneShotTimers timers, Duration grace, Runnable action) {
        this.timers = timers;
        this.grace = grace;
        this.action = action;
    }

    /** The condition began: starts the grace unless it is running or spent. */
    synchronized void arm() {
        if (armed) {
            return;
        }
        armed = true;
        long armedIn = ++spell;
        timer = timers.schedule(() -> expire(armedIn), grace);
    }

    /** The condition ended: cancels the grace, and lets a later spell arm again. */
    synchronized void disarm() {
        spell++;
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(long armedIn) {
        synchronized (this) {
            if (!armed || armedIn != spell) {
                return;
            }
            // Spent: this spell runs the action once; armed stays true until a disarm.
            spell++;
            timer = null;
        }
        action.run();
    }
}
