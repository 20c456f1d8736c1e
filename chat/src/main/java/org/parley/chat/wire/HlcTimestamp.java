package org.parley.chat.wire;

import java.time.Instant;

/**
 * A hybrid logical clock reading: physical milliseconds since the epoch and a counter that orders
 * events within one millisecond (or while the local clock lags a peer's). Messages are ordered by
 * it, then by id. Immutable.
 */
public record HlcTimestamp(long physicalMillis, int counter) implements Comparable<HlcTimestamp> {

    /** 2^48 - 1 ms is in the year 10889: no real clock reads more, and a larger value is garbage. */
    public static final long MAX_PHYSICAL_MILLIS = (1L << 48) - 1;

    /** 65,535 events in one millisecond from one device is far beyond any chat; 16 bits as in common HLCs. */
    public static final int MAX_COUNTER = 0xFFFF;

    public HlcTimestamp {
        if (physicalMillis < 0 || physicalMillis > MAX_PHYSICAL_MILLIS) {
            throw new IllegalArgumentException("HLC physical time " + physicalMillis + " is outside 0.."
                    + MAX_PHYSICAL_MILLIS);
        }
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("HLC counter " + counter + " is outside 0.." + MAX_COUNTER);
        }
    }

    public Instant physicalTime() {
        return Instant.ofEpochMilli(physicalMillis);
    }

    @Override
    public int compareTo(HlcTimestamp o) {
        int c = Long.compare(physicalMillis, o.physicalMillis);
        return c != 0 ? c : Integer.compare(counter, o.counter);
    }
}
