package org.parley.node.chat;

import java.time.InstantSource;
import org.parley.chat.wire.HlcTimestamp;

/**
 * A hybrid logical clock: readings never go backwards, follow the wall clock when it moves, and
 * move past any reading received from a peer, so a reply is always ordered after what it answers.
 * Thread safe.
 */
final class Hlc {

    /**
     * How far ahead of our wall clock a peer's reading may be and still move ours: more than
     * clocks of working machines disagree by, far less than a peer could push our order with.
     */
    static final long MAX_SKEW_MILLIS = 5 * 60 * 1000;

    private final InstantSource clock;
    private long millis;
    private int counter;

    Hlc(InstantSource clock) {
        this.clock = clock;
    }

    /** A reading for an event here, later than every reading before. */
    synchronized HlcTimestamp now() {
        long wall = Math.min(clock.millis(), HlcTimestamp.MAX_PHYSICAL_MILLIS);
        if (wall > millis) {
            millis = wall;
            counter = 0;
        } else {
            advanceCounter();
        }
        return new HlcTimestamp(millis, counter);
    }

    /**
     * A reading for a message in a conversation whose latest message has {@code latest}: later
     * than every reading before and than {@code latest}, so a reply orders after what it answers
     * even when this device's clock runs far behind the sender's (further than {@link #observe}
     * follows). The clock itself does not move past what {@link #observe} allows: a peer's far
     * future reading orders only the conversation with that peer, never this device's others.
     */
    synchronized HlcTimestamp nowAfter(java.util.Optional<HlcTimestamp> latest) {
        HlcTimestamp reading = now();
        if (latest.isEmpty() || reading.compareTo(latest.get()) > 0) {
            return reading;
        }
        HlcTimestamp floor = latest.get();
        if (floor.counter() < HlcTimestamp.MAX_COUNTER) {
            return new HlcTimestamp(floor.physicalMillis(), floor.counter() + 1);
        }
        return new HlcTimestamp(Math.min(floor.physicalMillis() + 1, HlcTimestamp.MAX_PHYSICAL_MILLIS), 0);
    }

    /** Takes in a peer's reading, so that later local readings order after it. */
    synchronized void observe(HlcTimestamp remote) {
        if (remote.physicalMillis() > clock.millis() + MAX_SKEW_MILLIS) {
            return;
        }
        if (remote.physicalMillis() > millis || (remote.physicalMillis() == millis && remote.counter() > counter)) {
            millis = remote.physicalMillis();
            counter = remote.counter();
        }
    }

    private void advanceCounter() {
        if (counter == HlcTimestamp.MAX_COUNTER) {
            // 65,536 events in one millisecond: borrow the next millisecond rather than wrap.
            millis++;
            counter = 0;
        } else {
            counter++;
        }
    }
}
