package org.parley.files.download;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.FilesInitiator;
import org.parley.files.protocol.FilesLimits;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.Have;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * Fetches pieces from one peer over one stream: keeps up to {@link FilesLimits#MAX_REQUESTS_IN_FLIGHT}
 * requests in flight, verifies each answer against the Merkle root, and hands good pieces to the
 * download. Runs on its own virtual thread; stopped by resetting its stream.
 */
final class PeerWorker {

    /** An idle worker looks again at least this often, in case a change was missed. */
    private static final long IDLE_RECHECK_MILLIS = 1000;

    private final Download download;
    private final FilesInitiator session;
    private final PeerId peer;
    private volatile boolean stopped;

    PeerWorker(Download download, FilesInitiator session) {
        this.download = download;
        this.session = session;
        this.peer = session.peer();
    }

    PeerId peer() {
        return peer;
    }

    /** Ends the worker: its stream is reset, which wakes a blocked read. */
    void stop() {
        stopped = true;
        session.reset();
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Runs until the peer has nothing left for us, fails, or the worker is stopped.
     *
     * @return why it ended, for the peer-dropped callback; null when it ended because it was stopped
     */
    String run(Swarm swarm, Manifest manifest) {
        Deque<Integer> inFlight = new ArrayDeque<>();
        byte[] root = manifest.root();
        int count = manifest.chunkCount();
        java.security.MessageDigest sha = MerkleTree.sha256();
        try {
            while (!stopped && !swarm.complete()) {
                long seen = swarm.version();
                boolean sent = false;
                while (inFlight.size() < FilesLimits.MAX_REQUESTS_IN_FLIGHT) {
                    int index = swarm.pick(peer);
                    if (index < 0) {
                        break;
                    }
                    session.request(index);
                    inFlight.add(index);
                    sent = true;
                }
                if (sent) {
                    session.flush();
                }
                if (inFlight.isEmpty()) {
                    if (!swarm.hasMissing(peer)) {
                        // A partial seeder with nothing we lack: its slot is better used by another source.
                        session.close();
                        return "it has none of the missing pieces";
                    }
                    // What it has is on its way from elsewhere (endgame). Wait until that changes
                    // (a peer drops, a piece is refused or fails, or arrives).
                    swarm.awaitChange(seen, IDLE_RECHECK_MILLIS);
                    continue;
                }
                FilesMessage message = session.next();
                switch (message) {
                    case Piece piece -> {
                        Integer expected = inFlight.poll();
                        if (expected == null || expected != piece.index()) {
                            throw new PeerFaultException("peer answered with piece " + piece.index() + " while piece " + expected + " was due");
                        }
                        int length = manifest.plainLength(piece.index()) + ChunkCipher.TAG_BYTES;
                        boolean good = piece.data().length == length
                                && MerkleTree.verify(root, count, piece.index(), MerkleTree.leafHash(sha, piece.data(), length), piece.proof());
                        if (good) {
                            download.onGoodPiece(peer, piece.index(), piece.data(), piece.proof());
                        } else if (swarm.onBadPiece(peer, piece.index()) >= FilesLimits.MAX_BAD_PIECES_PER_PEER) {
                            session.reset();
                            return "it sent " + FilesLimits.MAX_BAD_PIECES_PER_PEER + " pieces that fail their proof";
                        }
                    }
                    case Refusal refusal -> {
                        Integer expected = inFlight.poll();
                        if (expected == null || expected != refusal.index()) {
                            throw new PeerFaultException("peer refused piece " + refusal.index() + " while piece " + expected + " was due");
                        }
                        swarm.onRefused(peer, refusal.index());
                    }
                    case Have have -> swarm.onHave(peer, have.index());
                    default -> throw new PeerFaultException("unexpected " + message);
                }
            }
            session.close();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.reset();
            return null;
        } catch (PeerFaultException e) {
            session.reset();
            return stopped ? null : "it broke the files protocol: " + e.getMessage();
        } catch (IOException e) {
            session.reset();
            return stopped ? null : "its stream ended: " + e.getMessage();
        }
    }
}
