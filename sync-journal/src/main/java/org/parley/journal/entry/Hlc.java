package org.parley.journal.entry;

import java.time.InstantSource;

/**
 * The hybrid logical clock of one device's journal: readings never go backwards, follow the wall
 * clock when it moves, and move past every reading received from a sibling device, so an entry
 * written after receiving another always orders after it, whatever the two wall clocks say.
 * Thread safe.
 */
public final class Hlc {

    /**
     * How far ahead of our wall clock a sibling's reading may be and still move ours. Entries come
     * only from the user's own signed devices, so a reading hours ahead is a mis-set clock rather
     * than an attack, and following it keeps replies after what they answer; a week bounds how far
     * a badly wrong clock (a dead RTC battery reading 2099) can drag every later entry.
     */
    public static final long MAX_SKEW_MILLIS = 7L * 24 * 60 * 60 * 1000;

    private final InstantSource clock;
    private long millis;
    private int counter;

    public Hlc(InstantSource clock) {
        this.clock = clock;
    }

    /** A reading for an event here, later than every reading before. */
    public synchronized HlcTimestamp now() {
        long wall = Math.min(clock.millis(), HlcTimestamp.MAX_PHYSICAL_MILLIS);
        if (wall > millis) {
            millis = wall;
            counter = 0;
        } else if (counter == HlcTimestamp.MAX_COUNTER) {
            // 65,536 events in one millisecond: borrow the next millisecond rather than wrap.
            millis++;
            counter = 0;
        } else {
            counter++;
        }
        return new HlcTimestamp(millis, counter);
    }

    /** Takes in a reading from a sibling's entry, so that later local readings order after it. */
    public synchronized void observe(HlcTimestamp remote) {
        if (remote.physicalMillis() > clock.millis() + MAX_SKEW_MILLIS) {
            return;
        }
        if (remote.physicalMillis() > millis || (remote.physicalMillis() == millis && remote.counter() > counter)) {
            millis = remote.physicalMillis();
            counter = remote.counter();
        }
    }
}
