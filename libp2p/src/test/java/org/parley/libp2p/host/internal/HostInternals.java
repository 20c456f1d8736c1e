package org.parley.libp2p.host.internal;

import java.time.Duration;
import org.parley.libp2p.host.Host;

/**
 * Reaches the package-private diagnostics of a built host for tests in other packages (thread
 * counts for leak checks, the idle sweep for fake-clock tests). Test code only: production has no
 * way in.
 */
public final class HostInternals {

    private HostInternals() {}

    /** Threads the host started that have not ended. */
    public static int liveThreads(Host host) {
        return of(host).threads().liveCount();
    }

    /** Waits until at most {@code count} of the host's threads are live; true if reached in time. */
    public static boolean awaitThreadsAtMost(Host host, int count, Duration timeout) throws InterruptedException {
        return of(host).threads().awaitAtMost(count, timeout);
    }

    /** Runs the idle sweep now, instead of waiting for the host's timer. */
    public static void closeIdleConnections(Host host) {
        of(host).closeIdleConnections();
    }

    private static DefaultHost of(Host host) {
        if (!(host instanceof DefaultHost defaultHost)) {
            throw new IllegalArgumentException("not a host built by HostBuilder: " + host);
        }
        return defaultHost;
    }
}
