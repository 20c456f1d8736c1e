package org.parley.files.download;

import java.time.Duration;

/**
 * Schedules a download's bitfield saves: after a piece is verified, one save runs on its own virtual
 * thread within {@link org.parley.files.protocol.FilesLimits#BITFIELD_SAVE_INTERVAL_MILLIS} of the
 * previous one's start, whatever else arrives meanwhile.
 *
 * <p>Why in the background and by time: a save first syncs the partial file, which waits for the disk
 * to take every piece written since the last one. Saving in line every 16 pieces (4 MiB), as before,
 * stalled the piece writes at every sync: a 1 GiB download over loopback took 7.8 s that way and
 * 6.0 s with these saves ({@code scripts/bench files}, 2026-12-05). Now the pieces keep flowing
 * while the disk catches up, and a crash refetches at most the pieces of one interval and one sync.
 * A piece is marked verified only after it is written, and the save reads the verified set before
 * it syncs, so a saved bitfield never names a piece the sync did not cover. Thread safe.
 */
final class BitfieldSaves {

    private final Runnable save;
    private final long intervalNanos;
    /** Set while a save is waiting for its turn; later pieces ride on it. */
    private boolean scheduled;
    private long lastStartNanos;

    /** @param save saves the bitfield; must not throw, and is a no-op once the pieces are released */
    BitfieldSaves(Runnable save, Duration interval) {
        this.save = save;
        this.intervalNanos = interval.toNanos();
        this.lastStartNanos = System.nanoTime() - intervalNanos;
    }

    /** A piece was verified: makes sure a save covering it comes. */
    synchronized void pieceVerified() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        Thread.ofVirtual().name("files-save").start(this::saveInTurn);
    }

    private void saveInTurn() {
        long waitNanos;
        synchronized (this) {
            waitNanos = lastStartNanos + intervalNanos - System.nanoTime();
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(Duration.ofNanos(waitNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody interrupts it; save now rather than lose the pieces
            }
        }
        synchronized (this) {
            // Cleared before the save reads the verified set: a piece verified from here on schedules another.
            scheduled = false;
            lastStartNanos = System.nanoTime();
        }
        save.run();
    }
}
