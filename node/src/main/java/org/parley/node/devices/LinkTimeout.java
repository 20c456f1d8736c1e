package org.parley.node.devices;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.parley.libp2p.host.Stream;

/**
 * Resets a link stream when its whole exchange takes longer than {@link #LIMIT}, which wakes a
 * side blocked reading. Use in try-with-resources around the exchange. Thread safe.
 */
final class LinkTimeout implements AutoCloseable {

    /** The exchange is four small messages and one grant: 30 s covers a slow link, a stalled peer is cut. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private final CompletableFuture<Void> pending;
    private volatile boolean expired;

    LinkTimeout(Stream stream) {
        this.pending = CompletableFuture.runAsync(() -> {
            expired = true;
            stream.reset();
        }, CompletableFuture.delayedExecutor(LIMIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        pending.cancel(false);
    }
}
