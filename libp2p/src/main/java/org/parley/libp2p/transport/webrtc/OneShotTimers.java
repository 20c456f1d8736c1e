package org.parley.libp2p.transport.webrtc;

import java.time.Duration;
import java.util.concurrent.Future;

/** Runs a task once after a delay; the returned future cancels it. Tests pass one that only records. */
@FunctionalInterface
interface OneShotTimers {
    Future<?> schedule(Runnable task, Duration delay);
}
