package org.parley.files.download;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.files.protocol.FilesLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * A download's sources and its {@link FilesLimits#MAX_PEERS_PER_DOWNLOAD} peer slots: which source
 * to fetch from next, which peers have a worker starting or running, and which workers to stop.
 * A peer holds at most one slot. Not thread safe: the download calls it under its lock.
 */
final class PeerSlots {

    /** A source to start a worker for: its address (or bare id) and its peer. */
    record Claim(Object source, PeerId peer) {}

    private final PeerId self;
    private final Set<Object> sources = new LinkedHashSet<>(); // Multiaddr (with /p2p/) or PeerId
    private final List<PeerWorker> workers = new ArrayList<>();
    private final Set<PeerId> busyPeers = new HashSet<>();
    private int starting;

    PeerSlots(PeerId self) {
        this.self = self;
    }

    void addSources(List<?> more) {
        sources.addAll(more);
    }

    /** Takes a slot for each source not yet busy, while slots are free; the caller starts their workers. */
    List<Claim> claimFree() {
        List<Claim> claims = new ArrayList<>();
        for (Object source : sources) {
            if (workers.size() + starting >= FilesLimits.MAX_PEERS_PER_DOWNLOAD) {
                break;
            }
            PeerId peer = source instanceof Multiaddr address ? address.peerId() : (PeerId) source;
            if (peer == null || peer.equals(self) || busyPeers.contains(peer)) {
                continue;
            }
            busyPeers.add(peer);
            starting++;
            claims.add(new Claim(source, peer));
        }
        return claims;
    }

    /** A claimed worker connected (or gave up before it could); it is no longer starting. */
    void started() {
        starting--;
    }

    /** A started worker joins the download. */
    void add(PeerWorker worker) {
        workers.add(worker);
    }

    /**
     * A worker ended and frees its peer's slot.
     *
     * @param worker null if it never connected
     * @param started whether {@link #started()} was already called for it
     */
    void ended(PeerWorker worker, PeerId peer, boolean started) {
        if (!started) {
            starting--;
        }
        if (worker != null) {
            workers.remove(worker);
        }
        busyPeers.remove(peer);
    }

    /** Forgets every source of {@code peer}: it was dropped and is not asked again. */
    void dropSource(PeerId peer) {
        sources.removeIf(s -> peer.equals(s instanceof Multiaddr a ? a.peerId() : s));
    }

    /** Whether no worker runs or is starting. */
    boolean idle() {
        return starting == 0 && workers.isEmpty();
    }

    int running() {
        return workers.size();
    }

    void stopAll() {
        for (PeerWorker worker : workers) {
            worker.stop();
        }
    }
}
