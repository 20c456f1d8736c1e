package org.parley.libp2p.transport.webrtc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** Timers that only record what they are asked to run: each test fires them itself. */
final class RecordedTimers implements OneShotTimers {

    /** One scheduled task; its future is what the caller cancels. */
    record Timer(Runnable task, Duration delay, CompletableFuture<Void> future) {
        /** Runs the task, as the real timer would, unless it was cancelled. */
        void fire() {
            if (!future.isCancelled()) {
                task.run();
            }
        }
    }

    /** Every timer scheduled so far, oldest first. */
    final List<Timer> scheduled = new ArrayList<>();

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        Timer timer = new Timer(task, delay, new CompletableFuture<>());
        scheduled.add(timer);
        return timer.future();
    }
}
