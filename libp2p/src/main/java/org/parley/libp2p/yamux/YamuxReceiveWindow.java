package org.parley.libp2p.yamux;

import org.parley.libp2p.core.PeerFaultException;

/**
 * The receiving half of one stream's flow control: how much the peer may still send, when to
 * return credit, and when to grow the window for a fast stream.
 *
 * <p>Invariant: {@code credit + buffered + unreturned == window}, where {@code buffered} is what
 * the stream holds for the application. Not thread safe: the stream's lock guards it.
 */
final class YamuxReceiveWindow {

    /**
     * A window consumed within this many round trips since the last update was too small to keep
     * the sender busy, so it doubles. Two round trips: one for the update to reach the sender and
     * its data to come back, one of slack for scheduling noise.
     */
    static final int GROWTH_RTT_MULTIPLE = 2;

    private final int maxWindow;
    private int window = YamuxConfig.INITIAL_STREAM_WINDOW;
    private long credit = YamuxConfig.INITIAL_STREAM_WINDOW;
    private long unreturned;
    private long epochStartNanos;

    YamuxReceiveWindow(int maxWindow, long nowNanos) {
        this.maxWindow = maxWindow;
        this.epochStartNanos = nowNanos;
    }

    /** Accounts for a DATA frame of {@code length} bytes; fails if the peer overran its credit. */
    void receive(long length, int streamId) throws PeerFaultException {
        if (length > credit) {
            throw new PeerFaultException("yamux frame of " + length + " bytes exceeds the " + credit
                    + "-byte window of stream " + Integer.toUnsignedLong(streamId));
        }
        credit -= length;
    }

    /**
     * Accounts for {@code length} bytes the application consumed.
     *
     * @param rttNanos the session's measured round trip, or negative when none was measured yet
     *     (then the window never grows)
     * @return the credit to send in a WINDOW_UPDATE now, or 0 when it is not worth a frame yet
     */
    long consume(long length, long nowNanos, long rttNanos) {
        unreturned += length;
        if (unreturned < window / 2) {
            return 0;
        }
        long delta = unreturned;
        unreturned = 0;
        if (rttNanos >= 0 && window < maxWindow && nowNanos - epochStartNanos <= GROWTH_RTT_MULTIPLE * rttNanos) {
            int grown = (int) Math.min(2L * window, maxWindow);
            delta += grown - window;
            window = grown;
        }
        epochStartNanos = nowNanos;
        credit += delta;
        return delta;
    }

    /** The current window size: what the peer may have in flight when we have read everything. */
    int window() {
        return window;
    }

    /** What the peer may still send before it waits for an update. */
    long credit() {
        return credit;
    }
}
