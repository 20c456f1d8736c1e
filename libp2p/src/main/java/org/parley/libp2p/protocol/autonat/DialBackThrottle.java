package org.parley.libp2p.protocol.autonat;

import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.parley.libp2p.peer.PeerId;

/**
 * How many dial-backs an AutoNAT server grants per window, all peers together and per peer, so
 * that nobody turns it into a scanner. Thread safe.
 */
final class DialBackThrottle {

    /** go's {@code AutoNATThrottleGlobalLimit}: a busy public node answers a few new peers a minute. */
    static final int GLOBAL_LIMIT = 30;
    /** go's {@code AutoNATThrottlePeerLimit}: a peer needs one answer per round, three allow retries. */
    static final int PEER_LIMIT = 3;
    /** go's throttle interval. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final InstantSource clock;
    private final Deque<Instant> granted = new ArrayDeque<>();
    private final Map<PeerId, Deque<Instant>> byPeer = new HashMap<>();

    DialBackThrottle(InstantSource clock) {
        this.clock = clock;
    }

    /** Counts a dial-back for {@code peer} and returns true, or returns false if a limit is reached. */
    synchronized boolean tryAcquire(PeerId peer) {
        Instant now = clock.instant();
        Instant horizon = now.minus(WINDOW);
        while (!granted.isEmpty() && !granted.peekFirst().isAfter(horizon)) {
            granted.pollFirst();
        }
        byPeer.values().forEach(times -> {
            while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                times.pollFirst();
            }
        });
        byPeer.values().removeIf(Deque::isEmpty);
        Deque<Instant> mine = byPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
        if (granted.size() >= GLOBAL_LIMIT || mine.size() >= PEER_LIMIT) {
            if (mine.isEmpty()) {
                byPeer.remove(peer);
            }
            return false;
        }
        granted.addLast(now);
        mine.addLast(now);
        return true;
    }
}
