package org.parley.journal.entry;

/**
 * A hybrid logical clock reading carried by every journal entry: physical milliseconds since the
 * epoch and a counter that orders events within one millisecond (or while the local clock lags a
 * sibling device's). Immutable.
 */
public record HlcTimestamp(long physicalMillis, int counter) implements Comparable<HlcTimestamp> {

    /** 2^48 - 1 ms is in the year 10889: no real clock reads more; the entry layout keeps 48 bits. */
    public static final long MAX_PHYSICAL_MILLIS = (1L << 48) - 1;

    /** 16 bits as in common HLCs: 65,535 entries in one millisecond from one device is beyond any use. */
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

    @Override
    public int compareTo(HlcTimestamp o) {
        int c = Long.compare(physicalMillis, o.physicalMillis);
        return c != 0 ? c : Integer.compare(counter, o.counter);
    }
}
