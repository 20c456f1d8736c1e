package org.parley.files.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.BitSet;
import org.parley.files.protocol.wire.FilesCodec;
import org.parley.files.protocol.wire.FilesMessage.Have;

/**
 * Announces a partial source's new pieces on one responder stream, so a peer fetching from a
 * download in progress learns of each piece it verifies: the source's watch queues the index (it
 * must not block the verifying thread), and a virtual thread writes the queue as have messages
 * between the stream's answers, under the stream's write lock.
 */
final class HaveAnnouncer implements AutoCloseable {

    private final OutputStream out;
    private final Object writeLock;
    /** Indices waiting to be announced: at most one bit per piece, however fast they come. */
    private final BitSet pending = new BitSet();
    private boolean closed;
    private PieceSource.Watch watch;

    private HaveAnnouncer(OutputStream out, Object writeLock) {
        this.out = out;
        this.writeLock = writeLock;
    }

    /** Watches {@code source} and announces what it gains on {@code out}; every other writer of {@code out} holds {@code writeLock}. */
    static HaveAnnouncer start(PieceSource source, OutputStream out, Object writeLock) {
        HaveAnnouncer announcer = new HaveAnnouncer(out, writeLock);
        announcer.watch = source.watch(announcer::queue);
        Thread.ofVirtual().name("files-have").start(announcer::run);
        return announcer;
    }

    private synchronized void queue(int index) {
        pending.set(index);
        notifyAll();
    }

    private void run() {
        try {
            while (true) {
                BitSet batch;
                synchronized (this) {
                    while (pending.isEmpty() && !closed) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    batch = (BitSet) pending.clone();
                    pending.clear();
                }
                synchronized (writeLock) {
                    for (int i = batch.nextSetBit(0); i >= 0; i = batch.nextSetBit(i + 1)) {
                        FilesCodec.write(out, new Have(i));
                    }
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The stream is gone; the responder's own loop sees that and ends the stream.
            close();
        }
    }

    @Override
    public void close() {
        watch.close();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }
}
