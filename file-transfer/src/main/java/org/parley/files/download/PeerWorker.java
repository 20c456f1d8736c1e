package org.parley.files.download;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.crypto.AEADBadTagException;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.FilesInitiator;
import org.parley.files.protocol.FilesLimits;
import org.parley.files.protocol.wire.FilesMessage;
import org.parley.files.protocol.wire.FilesMessage.Piece;
import org.parley.files.protocol.wire.FilesMessage.Refusal;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;

/**
 * Fetches pieces from one peer over one stream: keeps up to {@link FilesLimits#MAX_REQUESTS_IN_FLIGHT}
 * requests in flight, verifies each answer against the Merkle root, decrypts it, and hands good pieces
 * to a {@link PieceWriter} that stores them. Runs on its own virtual thread, beside an
 * {@link AnswerReader} that reads the stream (so the peer's haves arrive while this thread waits);
 * stopped by resetting its stream.
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
     * @param patienceNanos how long a peer with nothing we lack is kept after its stream opened or
     *     its last have, in case it is a download in progress about to verify more
     * @return why it ended, for the peer-dropped callback; null when it ended because it was stopped
     */
    String run(Swarm swarm, Manifest manifest, long patienceNanos) {
        AnswerReader answers = AnswerReader.start(session, swarm, peer);
        Deque<Integer> inFlight = new ArrayDeque<>();
        byte[] root = manifest.root();
        int count = manifest.chunkCount();
        MessageDigest sha = MerkleTree.sha256();
        try (ChunkCipher cipher = new ChunkCipher(download.key(), manifest.cipher());
             PieceWriter writer = new PieceWriter((index, plain, plainLength, leaf, proof) ->
                     download.onGoodPiece(peer, index, plain, plainLength, leaf, proof))) {
            while (!stopped && !swarm.complete()) {
                long seen = swarm.version();
                answers.throwIfEnded();
                boolean sent = false;
                while (inFlight.size() < FilesLimits.MAX_REQUESTS_IN_FLIGHT) {
                    int index = swarm.pick(peer);
                    if (index < 0) {
                        break;
                    }
                    answers.expectOneMore();
                    session.request(index);
                    inFlight.add(index);
                    sent = true;
                }
                if (sent) {
                    session.flush();
                }
                if (inFlight.isEmpty()) {
                    long idleFor = System.nanoTime() - answers.lastNewsNanos();
                    if (!swarm.hasMissing(peer) && idleFor >= patienceNanos) {
                        // Nothing we lack, and no have for a while: its slot is better used by another source.
                        session.close();
                        return "it has none of the missing pieces";
                    }
                    // What it has is on its way from elsewhere (endgame), or it may announce more (a
                    // partial seeder). Wait until that changes: a have, a peer drops, a piece is
                    // refused, fails or arrives.
                    long waitMillis = swarm.hasMissing(peer) ? IDLE_RECHECK_MILLIS
                            : Math.min(IDLE_RECHECK_MILLIS, Math.max(1, (patienceNanos - idleFor) / 1_000_000));
                    swarm.awaitChange(seen, waitMillis);
                    continue;
                }
                FilesMessage message = answers.take();
                switch (message) {
                    case Piece piece -> {
                        Integer expected = inFlight.poll();
                        if (expected == null || expected != piece.index()) {
                            throw new PeerFaultException("peer answered with piece " + piece.index() + " while piece " + expected + " was due");
                        }
                        if (swarm.isVerified(piece.index())) {
                            // An endgame duplicate whose other copy came first: neither hash nor decrypt it.
                            swarm.onVerified(peer, piece.index());
                            continue;
                        }
                        int length = manifest.plainLength(piece.index()) + ChunkCipher.TAG_BYTES;
                        byte[] data = piece.data();
                        byte[] leaf = data.length == length ? MerkleTree.leafHash(sha, data, length) : null;
                        if (leaf != null && MerkleTree.verify(root, count, piece.index(), leaf, piece.proof())) {
                            int plainLength;
                            try {
                                // In place: the piece's own array then carries its plaintext to the writer.
                                plainLength = cipher.openChunk(piece.index(), data, length, data);
                            } catch (AEADBadTagException e) {
                                download.onUnopenablePiece(piece.index());
                                return null;
                            }
                            writer.write(piece.index(), data, plainLength, leaf, piece.proof());
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
        } finally {
            answers.stop();
        }
    }
}
