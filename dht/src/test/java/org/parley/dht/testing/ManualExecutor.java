package org.parley.dht.testing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that only queues tasks; a test runs them when it says so, on its own thread. Thread safe. */
public final class ManualExecutor implements Executor {

    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    public synchronized int pending() {
        return tasks.size();
    }

    /** Runs the queued tasks, and those they queue, until none is left; returns how many ran. */
    public int runAll() {
        int ran = 0;
        for (Runnable task = poll(); task != null; task = poll()) {
            task.run();
            ran++;
        }
        return ran;
    }

    private synchronized Runnable poll() {
        return tasks.poll();
    }
}
