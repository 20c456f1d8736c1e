package org.parley.files.download;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.PieceSource;
import org.parley.files.store.PieceStore;
import org.parley.files.store.PositionalIo;

/**
 * A download's pieces as a {@link PieceSource} (partial seeding): those verified in this run, read
 * from the piece store with the proofs they came with, and once the file is in place every piece,
 * read from the file with the whole tree's proofs, so streams opened before the node serves the
 * file as a share go on without a gap. Each piece it gains reaches its watchers (the responders,
 * which announce it as a have). Thread safe.
 */
final class ServedPieces implements PieceSource {

    private final FileId fileId;
    private final byte[] manifestBytes;
    private final Manifest manifest;
    private final FileKey key;
    private final PieceStore store;
    private final Path target;
    private final List<IntConsumer> watchers = new CopyOnWriteArrayList<>();

    private final BitSet servable = new BitSet();
    /** The proof of each piece verified in this run: 384 bytes a piece at most. */
    private final List<byte[]>[] proofs;
    /** The whole tree once the file is in place; then every piece is served from {@link #target}. */
    private MerkleTree finishedTree;
    private boolean cancelled;
    /** Read-held while a piece is read, write-held while the store moves into place. */
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();

    @SuppressWarnings("unchecked")
    ServedPieces(FileId fileId, byte[] manifestBytes, Manifest manifest, FileKey key, PieceStore store, Path target) {
        this.fileId = fileId;
        this.manifestBytes = manifestBytes.clone();
        this.manifest = manifest;
        this.key = key;
        this.store = store;
        this.target = target;
        this.proofs = new List[manifest.chunkCount()];
    }

    /** Piece {@code index} is verified and stored: serve it, and tell the watchers. */
    void verified(int index, List<byte[]> proof) {
        synchronized (this) {
            proofs[index] = proof;
            servable.set(index);
        }
        for (IntConsumer watcher : watchers) {
            watcher.accept(index);
        }
    }

    /** Moves the store into place: {@link #finishWith} runs it while no piece is read. */
    @FunctionalInterface
    interface Placement {
        void place() throws DownloadException;
    }

    /**
     * Puts the file into place and from then on serves every piece from it, and tells the watchers
     * of all. Pieces are not read during the move, which closes the store: a read then would fail
     * and refuse a peer a piece this node holds (a partial seeder's leecher gave up on it so).
     */
    void finishWith(MerkleTree tree, Placement placement) throws DownloadException {
        storeLock.writeLock().lock();
        try {
            placement.place();
            synchronized (this) {
                finishedTree = tree;
            }
        } finally {
            storeLock.writeLock().unlock();
        }
        for (IntConsumer watcher : watchers) {
            for (int i = 0; i < manifest.chunkCount(); i++) {
                watcher.accept(i);
            }
        }
    }

    /** Whether a read waits for the store to move into place (tests). */
    boolean readersWaiting() {
        return storeLock.hasQueuedThreads();
    }

    /** The download was cancelled and its pieces deleted: serve nothing. */
    synchronized void cancelled() {
        cancelled = true;
    }

    @Override
    public FileId fileId() {
        return fileId;
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public synchronized BitSet pieces() {
        if (cancelled) {
            return new BitSet();
        }
        if (finishedTree != null) {
            BitSet all = new BitSet(manifest.chunkCount());
            all.set(0, manifest.chunkCount());
            return all;
        }
        return (BitSet) servable.clone();
    }

    @Override
    public Watch watch(IntConsumer onNewPiece) {
        watchers.add(onNewPiece);
        return () -> watchers.remove(onNewPiece);
    }

    @Override
    public Reader openReader() {
        ChunkCipher cipher = new ChunkCipher(key, manifest.cipher());
        return new Reader() {
            @Override
            public SealedPiece read(int index) throws IOException {
                storeLock.readLock().lock();
                try {
                    return readHeld(index);
                } finally {
                    storeLock.readLock().unlock();
                }
            }

            private SealedPiece readHeld(int index) throws IOException {
                List<byte[]> proof;
                boolean done;
                synchronized (ServedPieces.this) {
                    done = finishedTree != null && !cancelled;
                    proof = done ? finishedTree.proof(index) : servable.get(index) && !cancelled ? proofs[index] : null;
                }
                if (proof == null) {
                    throw new IOException("piece " + index + " is not held");
                }
                // The store holds plaintext, and the file in place has the same layout; sealing it
                // again under the chunk's nonce gives the very ciphertext the proof covers.
                int plainLength = manifest.plainLength(index);
                byte[] plain = new byte[plainLength];
                if (done) {
                    readFinished(index, plain, plainLength);
                } else {
                    store.read(index, plain, plainLength);
                }
                byte[] data = new byte[plainLength + ChunkCipher.TAG_BYTES];
                int length = cipher.sealChunk(index, plain, plainLength, data);
                byte[] leaf = MerkleTree.leafHash(MerkleTree.sha256(), data, length);
                if (!MerkleTree.verify(manifest.root(), manifest.chunkCount(), index, leaf, proof)) {
                    throw new IOException("stored piece " + index + " no longer matches its proof");
                }
                return new SealedPiece(data, proof);
            }

            @Override
            public void close() {
                cipher.close();
            }
        };
    }

    private void readFinished(int index, byte[] out, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(target)) {
            if (!PositionalIo.readFully(channel, out, length, (long) index * manifest.chunkSize())) {
                throw new IOException(target + " ends inside piece " + index);
            }
        }
    }
}
