package org.parley.libp2p.protocol.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.protocol.relay.wire.RelayLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's half of a circuit once both ends said OK: copies bytes between the initiator's hop
 * stream and the target's stop stream, each direction on its own thread, and resets both streams
 * when the circuit's duration or data limit is reached (circuit-v2.md). An end that finishes
 * writing is passed on as a half-close. Used once, by one thread.
 */
final class CircuitSplice {

    /** go's relay buffer: circuits carry small control messages, and 128 relays x 16 circuits add up. */
    static final int BUFFER_BYTES = 2048;

    private static final Logger log = LoggerFactory.getLogger(CircuitSplice.class);

    /** One timer for all circuits; it only hands a due cut to a virtual thread. */
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final MuxedStream initiator;
    private final MuxedStream target;
    private final RelayLimit limit;
    private volatile boolean limitReached;

    CircuitSplice(MuxedStream initiator, MuxedStream target, RelayLimit limit) {
        this.initiator = initiator;
        this.target = target;
        this.limit = limit;
    }

    /**
     * Relays until both directions end or a limit resets the circuit; returns then.
     *
     * @return true if a limit (duration or data) ended the circuit
     */
    boolean run() throws InterruptedException {
        Duration duration = limit.duration();
        ScheduledFuture<?> cut = duration.isZero() ? null
                : TIMER.schedule(this::durationReached, duration.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Thread back = Thread.ofVirtual().name("relay-splice").start(() -> copy(target, initiator));
            copy(initiator, target);
            back.join();
        } finally {
            if (cut != null) {
                cut.cancel(false);
            }
        }
        return limitReached;
    }

    private void durationReached() {
        log.debug("circuit reached its limit of {} s; resetting it", limit.duration().toSeconds());
        limitReached = true;
        Thread.ofVirtual().name("relay-cut").start(() -> {
            initiator.reset();
            target.reset();
        });
    }

    /** Copies one direction, at most the data limit; at the limit, resets both ends. */
    private void copy(MuxedStream from, MuxedStream to) {
        long max = limit.dataBytes() > 0 ? limit.dataBytes() : Long.MAX_VALUE;
        long copied = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        InputStream in = from.in();
        OutputStream out = to.out();
        try {
            while (true) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
                if (n < 0) {
                    out.flush();
                    to.closeWrite();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
                copied += n;
                if (copied >= max) {
                    log.debug("circuit reached its limit of {} bytes in one direction; resetting it", max);
                    limitReached = true;
                    from.reset();
                    to.reset();
                    return;
                }
            }
        } catch (IOException e) {
            // One end reset or closed: the circuit is over in both directions.
            from.reset();
            to.reset();
        }
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("parley-relay-circuit-limits").factory());
        // Most circuits end before their limit; do not keep their cuts queued until then.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
