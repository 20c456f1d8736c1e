package org.parley.node.chat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts events per key in a sliding window and refuses those above a limit: contact requests per
 * sender identity and per peer, prekey bundles per peer. Remembers at most {@link #MAX_KEYS} keys
 * (the least recently seen go first), so a flood of fresh keys costs bounded memory. Thread safe.
 */
final class RequestLimiter {

    /** Keys remembered at once: far more than the honest peers of one node, a few MB at most. */
    static final int MAX_KEYS = 10_000;

    private final int limit;
    private final Duration window;
    private final InstantSource clock;
    private final Map<String, Deque<Long>> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    RequestLimiter(int limit, Duration window, InstantSource clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Counts one event for {@code key}; false (and not counted) if the key is over its limit. */
    synchronized boolean tryAcquire(String key) {
        long now = clock.millis();
        Deque<Long> times = seen.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && times.peekFirst() <= now - window.toMillis()) {
            times.pollFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
