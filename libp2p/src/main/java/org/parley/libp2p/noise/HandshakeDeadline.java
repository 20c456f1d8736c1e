package org.parley.libp2p.noise;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.libp2p.core.Duplex;

/**
 * Closes a connection whose handshake runs past its deadline, which wakes the handshake thread
 * blocked in a read or write. Thread safe: the timer thread and the handshake thread race through
 * one compare-and-set, so exactly one of "finished" and "expired" wins.
 */
final class HandshakeDeadline {

    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int EXPIRED = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final Thread timer;

    private HandshakeDeadline(Duplex raw, Duration timeout) {
        this.timer = Thread.ofVirtual().name("noise-handshake-deadline").unstarted(() -> {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                return;
            }
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                raw.close();
            }
        });
    }

    static HandshakeDeadline start(Duplex raw, Duration timeout) {
        HandshakeDeadline deadline = new HandshakeDeadline(raw, timeout);
        deadline.timer.start();
        return deadline;
    }

    /**
     * Stops the timer.
     *
     * @return true if the handshake beat the deadline; false if the deadline already closed the connection
     */
    boolean finish() {
        boolean inTime = state.compareAndSet(RUNNING, FINISHED);
        if (inTime) {
            timer.interrupt();
        }
        return inTime;
    }
}
