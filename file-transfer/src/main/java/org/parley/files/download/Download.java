package org.parley.files.download;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.parley.files.crypto.FileKey;
import org.parley.files.link.FileLink;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.PieceSource;
import org.parley.files.manifest.Manifest;
import org.parley.files.protocol.FileRefusedException;
import org.parley.files.protocol.FilesInitiator;
import org.parley.files.protocol.FilesLimits;
import org.parley.files.protocol.FilesProtocol;
import org.parley.files.store.BitfieldStore;
import org.parley.files.store.PieceStore;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file being fetched from every source at once (the link's peer hints plus any the caller adds,
 * such as DHT providers), each piece verified against the manifest's Merkle root before it is stored,
 * decrypted into the partial file as it is verified, the verified bitfield saved so a restart
 * resumes, and at the end the root checked and the partial file moved into place atomically.
 * Pause, resume and cancel act at once; progress goes to the listener.
 *
 * <p>Thread safe. Threads: one virtual thread per peer, and one that finishes the file.
 */
public final class Download {

    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    /** Where a download is in its life. */
    public enum State { NEW, RUNNING, PAUSED, DONE, FAILED, CANCELLED }

    private final Host host;
    private final FileLink link;
    private final Path target;
    private final PieceStore.Opener storeOpener;
    /** The partial pieces and their saved bitfield; no save reaches them once the finish took them. */
    private final PartialPieces pieces;
    private final DownloadListener listener;
    /** Sources, and the workers starting or running, within the peers-per-download limit. */
    private final PeerSlots slots;

    private final Object lock = new Object();
    private State state = State.NEW;
    private DownloadException failure;
    private Manifest manifest;
    private byte[] manifestBytes;
    /** What this download serves to others (partial seeding); null until the manifest is known. */
    private ServedPieces served;
    /** The leaf hash of each piece verified in this run (32 bytes a piece), for the root check at the end. */
    private byte[][] leaves;
    private Swarm swarm;
    private PieceStore store;
    private boolean finishing;
    /** Set once a DONE, FAILED or CANCELLED download has saved or deleted its pieces: {@link #await()} returns then. */
    private boolean ended;
    /** Saves the bitfield in the background as pieces are verified. */
    private final BitfieldSaves saves = new BitfieldSaves(this::saveQuietly,
            Duration.ofMillis(FilesLimits.BITFIELD_SAVE_INTERVAL_MILLIS));
    private volatile long partialSeederPatienceNanos = FilesLimits.PARTIAL_SEEDER_PATIENCE_MILLIS * 1_000_000L;
    /** Bytes and time of this run (since start or the last resume), for the rate. */
    private final RunMeter run;
    /** The whole tree, checked against the manifest's root, once the file is in place. */
    private MerkleTree verifiedTree;

    /**
     * @param target where the file goes; its directory must exist and the file must not
     * @param storeOpener opens the partial piece store once the chunk size is known
     * @param bitfieldStore where verified pieces are recorded; what it holds is trusted on resume
     */
    public Download(Host host, FileLink link, Path target, PieceStore.Opener storeOpener, BitfieldStore bitfieldStore,
            DownloadListener listener, Clock clock) {
        this.host = host;
        this.link = link;
        this.target = target.toAbsolutePath();
        this.storeOpener = storeOpener;
        this.pieces = new PartialPieces(bitfieldStore);
        this.listener = listener;
        this.run = new RunMeter(clock);
        this.slots = new PeerSlots(host.peerId());
        slots.addSources(link.peers());
    }

    /** Adds peers to fetch from (DHT providers); those beyond {@link FilesLimits#MAX_PEERS_PER_DOWNLOAD} wait for a free slot. */
    public void addSources(List<PeerId> peers) {
        synchronized (lock) {
            slots.addSources(peers);
            if (state == State.RUNNING) {
                startWorkers();
            }
        }
    }

    /** Sets {@link FilesLimits#PARTIAL_SEEDER_PATIENCE_MILLIS} for this download (tests shorten it). */
    void partialSeederPatience(Duration patience) {
        partialSeederPatienceNanos = patience.toNanos();
    }

    /**
     * Starts fetching.
     *
     * @throws DownloadException with {@link DownloadException.Reason#TARGET_UNWRITABLE} if the target
     *     directory is missing or not a directory, or the target already exists
     */
    public void start() throws DownloadException {
        DownloadTarget.check(target);
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("a download starts once; it is " + state);
            }
            state = State.RUNNING;
            run.restart();
            startWorkers();
            if (slots.idle()) {
                fail(new DownloadException(DownloadException.Reason.NO_SOURCES,
                        "the link names no peer to fetch from; find providers first"));
            }
        }
    }

    /** Stops fetching and saves what is verified; {@link #resume()} goes on. */
    public void pause() {
        synchronized (lock) {
            if (state != State.RUNNING || finishing) {
                return;
            }
            state = State.PAUSED;
            stopWorkers();
        }
        saveQuietly();
    }

    public void resume() {
        synchronized (lock) {
            if (state != State.PAUSED) {
                return;
            }
            state = State.RUNNING;
            run.restart();
            startWorkers();
            if (slots.idle()) {
                finishWithoutSources();
            }
        }
    }

    /** Stops for good and deletes the partial pieces and the bitfield. */
    public void cancel() {
        synchronized (lock) {
            if (state == State.DONE || state == State.FAILED || state == State.CANCELLED || finishing) {
                return;
            }
            state = State.CANCELLED;
            failure = new DownloadException(DownloadException.Reason.CANCELLED, "the download was cancelled");
            stopWorkers();
            if (served != null) {
                served.cancelled();
            }
        }
        discardPieces();
        markEnded();
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * Waits until the file is in place or the download ended without it.
     *
     * @return the target path
     * @throws DownloadException why it ended without the file
     */
    public Path await() throws DownloadException, InterruptedException {
        return await(null);
    }

    /** As {@link #await()}, at most {@code timeout}; returns null if still running then. */
    public Path await(Duration timeout) throws DownloadException, InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lock.wait(timeout == null ? 0 : Math.max(1, left / 1_000_000));
            }
            if (state == State.DONE) {
                return target;
            }
            throw failure;
        }
    }

    /**
     * The pieces verified in this run, to serve to other peers while the download goes on (partial
     * seeding): register it with the node's {@code PieceSources}. Null until the manifest is known.
     * Its bitfield is read when a peer opens a stream, and each piece verified after that reaches
     * the peer as a have; once the file is in place, serve it with {@code FileSharer.reopen} instead.
     */
    public PieceSource asPieceSource() {
        synchronized (lock) {
            return served;
        }
    }

    /**
     * The file's manifest once a peer sent it, else null. With the link's key it lets the finished
     * file be served again under the same file id ({@code FileSharer.reopen}).
     */
    public Manifest manifest() {
        synchronized (lock) {
            return manifest;
        }
    }

    /**
     * The file's whole Merkle tree once it is in place (the root checked against the manifest), else
     * null: with it {@code FileSharer.adopt} serves the file without reading it again.
     */
    public MerkleTree verifiedTree() {
        synchronized (lock) {
            return verifiedTree;
        }
    }

    public DownloadProgress progress() {
        synchronized (lock) {
            return progressLocked();
        }
    }

    // ---- workers ----

    private void startWorkers() {
        for (PeerSlots.Claim claim : slots.claimFree()) {
            Object source = claim.source();
            PeerId peer = claim.peer();
            Thread.ofVirtual().name("files-peer-" + peer.toString().substring(Math.max(0, peer.toString().length() - 6)))
                    .start(() -> runPeer(source, peer));
        }
    }

    private void runPeer(Object source, PeerId peer) {
        PeerWorker worker = null;
        boolean[] joined = {false};
        String why;
        try {
            if (source instanceof Multiaddr address) {
                host.connect(address);
            }
            Stream stream = host.newStream(peer, FilesProtocol.PROTOCOL_ID);
            FilesInitiator session = FilesInitiator.open(stream, link.fileId());
            worker = new PeerWorker(this, session);
            Swarm swarm = join(worker, session, joined);
            why = swarm == null ? null : worker.run(swarm, manifest, partialSeederPatienceNanos);
        } catch (FileRefusedException e) {
            why = "it does not serve the file (" + e.refusal().detail() + ")";
        } catch (IOException e) {
            why = "cannot fetch from it: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("bug while fetching {} from {}", link.fileId(), peer, e);
            why = "an internal error: " + e;
        }
        workerEnded(worker, peer, why, joined[0]);
    }

    /** Registers a connected worker; the first one brings the manifest. Returns null if the download no longer runs. */
    private Swarm join(PeerWorker worker, FilesInitiator session, boolean[] joined) {
        synchronized (lock) {
            slots.started();
            joined[0] = true;
            if (state != State.RUNNING || finishing) {
                worker.stop();
                return null;
            }
            if (manifest == null) {
                try {
                    manifestBytes = session.manifestBytes();
                    openManifest(session.manifest());
                } catch (DownloadException e) {
                    worker.stop();
                    fail(e);
                    return null;
                }
            }
            slots.add(worker);
            swarm.addPeer(worker.peer(), session.initialPieces());
            return swarm;
        }
    }

    private void openManifest(Manifest m) throws DownloadException {
        ManifestCheck.check(link, m);
        BitSet saved;
        try {
            saved = pieces.open(storeOpener, m.chunkSize());
            store = pieces.store();
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Reason.STORAGE, "cannot open the partial download: " + e.getMessage(), e);
        }
        manifest = m;
        served = new ServedPieces(link.fileId(), manifestBytes, m, link.key(), store, target);
        leaves = new byte[m.chunkCount()][];
        swarm = new Swarm(m.chunkCount(), saved, new SecureRandom());
        if (swarm.complete()) {
            finishing = true;
            Thread.ofVirtual().name("files-finish").start(this::finish);
        }
    }

    private void workerEnded(PeerWorker worker, PeerId peer, String why, boolean joined) {
        boolean noneLeft;
        synchronized (lock) {
            slots.ended(worker, peer, joined);
            if (swarm != null) {
                swarm.removePeer(peer);
            }
            boolean wrappingUp = finishing || (swarm != null && swarm.complete());
            if (why != null && state == State.RUNNING && !wrappingUp) {
                slots.dropSource(peer);
                LOG.info("dropped {} from download {}: {}", peer, link.fileId(), why);
                listener.onPeerDropped(peer, why);
            }
            if (state == State.RUNNING && !wrappingUp) {
                // A free slot: another source, or this peer again after a pause and a quick resume.
                startWorkers();
            }
            noneLeft = state == State.RUNNING && !wrappingUp && slots.idle();
            if (noneLeft) {
                finishWithoutSources();
            }
        }
    }

    private void finishWithoutSources() {
        int missing = swarm == null ? -1 : manifest.chunkCount() - swarm.verifiedCount();
        fail(new DownloadException(DownloadException.Reason.NO_SOURCES, swarm == null
                ? "no peer serves the file; try again when one of its seeders is online"
                : "no peer could send the rest of the file (" + missing + " of " + manifest.chunkCount()
                        + " pieces missing); the verified pieces are kept, resume when a seeder is online"));
    }

    FileKey key() {
        return link.key();
    }

    /**
     * A worker's verified and decrypted piece, from its {@link PieceWriter}: store its plaintext,
     * record it, schedule a save, report.
     *
     * @param leaf the sealed piece's leaf hash, kept for the root check at the end
     */
    void onGoodPiece(PeerId peer, int index, byte[] plain, int plainLength, byte[] leaf, List<byte[]> proof) {
        if (swarm.isVerified(index)) {
            swarm.onVerified(peer, index); // an endgame duplicate: nothing to write
            return;
        }
        try {
            store.write(index, plain, plainLength);
        } catch (IOException e) {
            if (pieces.released()) {
                return; // the download ended meanwhile (its store moved, closed or deleted): nothing to keep
            }
            synchronized (lock) {
                fail(new DownloadException(DownloadException.Reason.STORAGE,
                        "cannot write the download's pieces: " + e.getMessage() + " (is the disk full?); free space and resume", e));
            }
            return;
        }
        if (!swarm.onVerified(peer, index)) {
            return;
        }
        DownloadProgress progress;
        synchronized (lock) {
            leaves[index] = leaf;
            run.add(manifest.plainLength(index));
            progress = progressLocked();
        }
        served.verified(index, proof);
        saves.pieceVerified();
        listener.onProgress(progress);
        if (swarm.complete()) {
            synchronized (lock) {
                if (state != State.RUNNING || finishing) {
                    return;
                }
                finishing = true;
                stopWorkers();
            }
            finish();
        }
    }

    /**
     * A piece matched its proof but does not open with the link's key: the sharer sealed it under
     * another key, so no peer can send a good copy. Ends the download.
     */
    void onUnopenablePiece(int index) {
        synchronized (lock) {
            fail(new DownloadException(DownloadException.Reason.CORRUPT, "piece " + index
                    + " of the file does not open with the link's key; ask the sender to share the file again"));
        }
        discardPieces();
    }

    private void finish() {
        FileAssembler assembler = new FileAssembler();
        try {
            // Saves and releases in one step: a peer's save that comes later finds nothing to touch.
            PieceStore toMove = pieces.saveAndRelease(swarm::verified);
            if (toMove == null) {
                return; // cancelled or failed meanwhile, which released the pieces
            }
            byte[][] known;
            synchronized (lock) {
                known = leaves.clone();
            }
            MerkleTree tree = assembler.verify(manifest, link.key(), toMove, known, target);
            served.finishWith(tree, () -> assembler.place(toMove, target));
            synchronized (lock) {
                verifiedTree = tree;
            }
        } catch (DownloadException e) {
            if (e.reason() == DownloadException.Reason.CORRUPT || assembler.storeConsumed()) {
                discardPieces();
            }
            synchronized (lock) {
                fail(e);
            }
            return;
        } catch (IOException e) {
            synchronized (lock) {
                fail(new DownloadException(DownloadException.Reason.STORAGE, "cannot save the download's state: " + e.getMessage(), e));
            }
            return;
        }
        discardPieces();
        synchronized (lock) {
            state = State.DONE;
        }
        markEnded();
        listener.onProgress(progress());
    }

    private void markEnded() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    /**
     * Ends the download with {@code e}; callers hold the lock. Another thread then saves the bitfield
     * (unless the pieces were discarded) and closes the piece store before {@link #await()} returns.
     */
    private void fail(DownloadException e) {
        if (state == State.DONE || state == State.FAILED || state == State.CANCELLED) {
            return;
        }
        state = State.FAILED;
        failure = e;
        stopWorkers();
        boolean keepPieces = e.reason() != DownloadException.Reason.CORRUPT;
        Thread.ofVirtual().name("files-end").start(() -> {
            if (keepPieces) {
                saveQuietly();
            }
            closeStoreQuietly();
            markEnded();
        });
    }

    private void closeStoreQuietly() {
        try {
            pieces.close();
        } catch (IOException e) {
            LOG.warn("cannot close the partial download {}: {}", link.fileId(), e.getMessage());
        }
    }

    private void stopWorkers() {
        slots.stopAll();
        if (swarm != null) {
            swarm.changed();
        }
    }

    /** Saves the bitfield unless the pieces were released (moved into place, closed or deleted). */
    private void saveQuietly() {
        Swarm current;
        synchronized (lock) {
            current = swarm;
        }
        if (current == null) {
            return;
        }
        try {
            pieces.save(current::verified);
        } catch (IOException e) {
            LOG.warn("cannot save the bitfield of download {}: {}", link.fileId(), e.getMessage());
        }
    }

    private void discardPieces() {
        try {
            pieces.discard();
        } catch (IOException e) {
            LOG.warn("cannot delete the partial download {}: {}", link.fileId(), e.getMessage());
        }
    }

    private DownloadProgress progressLocked() {
        if (manifest == null) {
            return new DownloadProgress(0, link.size(), 0, 0, 0, slots.running());
        }
        return run.progress(manifest, swarm.verified(), slots.running());
    }
}
