package org.parley.files.download;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * Stores one peer's verified pieces on a virtual thread of its own, so that its {@link PeerWorker}
 * hashes and decrypts the next piece while this one is written: a write into the page cache costs
 * about as much CPU as the hash and the decryption together (more on a virtual machine, where fresh
 * pages are costly), and done in line it left the second core idle for half of a loopback transfer.
 * The hand-over waits until the writer is free, so no queue of piece buffers builds up (the
 * count per peer is in {@link AnswerReader}).
 *
 * <p>{@link #close()} waits until every piece handed over is stored (or refused by the download),
 * so the download learns that a peer's worker ended only after its last piece is in. Used by one
 * worker thread.
 */
final class PieceWriter implements AutoCloseable {

    /** A verified piece and its plaintext, {@code plain[0, plainLength)}, now owned by the writer. */
    private record Verified(int index, byte[] plain, int plainLength, byte[] leaf, List<byte[]> proof) {}

    /** Marks the end of the hand-overs; never a real piece. */
    private static final Verified END = new Verified(-1, new byte[0], 0, new byte[0], List.of());

    /** Where pieces go: the download, which writes each into its partial file and records it. */
    @FunctionalInterface
    interface Store {
        void store(int index, byte[] plain, int plainLength, byte[] leaf, List<byte[]> proof);
    }

    private final Store store;
    private final BlockingQueue<Verified> handOver = new SynchronousQueue<>();
    private final Thread thread;
    /** What the store threw (a bug): the next hand-over throws it, so the worker ends as it did when it stored in line. */
    private volatile RuntimeException failure;

    PieceWriter(Store store) {
        this.store = store;
        this.thread = Thread.ofVirtual().name("files-write").start(this::run);
    }

    /**
     * Hands a verified piece over, waiting while the previous one is still being written; the
     * caller must not touch {@code plain} afterwards.
     */
    void write(int index, byte[] plain, int plainLength, byte[] leaf, List<byte[]> proof) throws InterruptedException {
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
        handOver.put(new Verified(index, plain, plainLength, leaf, proof));
    }

    private void run() {
        while (true) {
            Verified piece;
            try {
                piece = handOver.take();
            } catch (InterruptedException e) {
                return; // never interrupted: close() ends it with END
            }
            if (piece == END) {
                return;
            }
            try {
                store.store(piece.index(), piece.plain(), piece.plainLength(), piece.leaf(), piece.proof());
            } catch (RuntimeException e) {
                // Keep taking (and dropping) hand-overs, so the worker never waits for a writer that is gone.
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** Waits until every piece handed over is stored, then ends the thread; does not give up when interrupted. */
    @Override
    public void close() {
        // The piece in hand is verified: store it before the worker ends, even when interrupted.
        boolean interrupted = false;
        boolean ended = false;
        while (!ended) {
            try {
                handOver.put(END);
                ended = true;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
