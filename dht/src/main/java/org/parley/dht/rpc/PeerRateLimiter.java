package org.parley.dht.rpc;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.parley.libp2p.peer.PeerId;

/**
 * A token bucket per remote peer bounding how many kad requests each may make: {@code burst} at
 * once, refilled at {@code perSecond}. Thread safe.
 *
 * <p>Peers with a full bucket carry no information, so when more than {@code maxTracked} peers
 * are tracked those are forgotten first; the map never grows past that bound by more than the
 * peers that are actively being limited.
 */
public final class PeerRateLimiter {

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    private final int burst;
    private final double perSecond;
    private final int maxTracked;
    private final InstantSource clock;
    private final Map<PeerId, Bucket> buckets = new HashMap<>();

    public PeerRateLimiter(int burst, double perSecond, int maxTracked, InstantSource clock) {
        if (burst < 1 || perSecond <= 0 || maxTracked < 1) {
            throw new IllegalArgumentException("rate limit needs burst >= 1, rate > 0 and maxTracked >= 1, got "
                    + burst + ", " + perSecond + ", " + maxTracked);
        }
        this.burst = burst;
        this.perSecond = perSecond;
        this.maxTracked = maxTracked;
        this.clock = clock;
    }

    /** Takes one token for {@code peer}; false if its bucket is empty. */
    public synchronized boolean tryAcquire(PeerId peer) {
        Instant now = clock.instant();
        Bucket bucket = buckets.get(peer);
        if (bucket == null) {
            if (buckets.size() >= maxTracked) {
                forgetFullBuckets(now);
            }
            bucket = new Bucket(burst, now);
            buckets.put(peer, bucket);
        } else {
            refill(bucket, now);
        }
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    public int burst() {
        return burst;
    }

    public double perSecond() {
        return perSecond;
    }

    private void refill(Bucket bucket, Instant now) {
        long nanos = Duration.between(bucket.updated, now).toNanos();
        if (nanos > 0) {
            bucket.tokens = Math.min(burst, bucket.tokens + perSecond * nanos / 1e9);
            bucket.updated = now;
        }
    }

    private void forgetFullBuckets(Instant now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            refill(b, now);
            if (b.tokens >= burst) {
                it.remove();
            }
        }
    }
}
