package org.parley.libp2p.host.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, once per peer, that two processes seem to run with one key: two open
 * connections of the peer announced different protocols in identify. That happens when a data
 * directory (and its key) was copied to a second device; each device needs a key of its own.
 * Thread safe.
 */
final class SharedKeyWarning {

    /**
     * Peers warned about, remembered so the warning comes once; a copied key is rare, so after
     * this many the set starts over rather than grow.
     */
    static final int MAX_REMEMBERED = 1024;

    private static final Logger log = LoggerFactory.getLogger(SharedKeyWarning.class);

    private final Set<PeerId> warned = ConcurrentHashMap.newKeySet();

    /** Logs the warning for {@code connection}'s peer unless it was logged before; returns whether it was logged. */
    boolean warn(HostConnection connection) {
        if (warned.size() >= MAX_REMEMBERED) {
            warned.clear();
        }
        if (!warned.add(connection.remotePeer())) {
            return false;
        }
        log.warn("peer {} announces different protocols on two connections at once (the latest from {}): two"
                + " processes are running with the same key, probably a copied data directory. Each device needs"
                + " its own key; the protocols of the peer's open connections are combined meanwhile",
                connection.remotePeer(), connection.remoteAddress());
        return true;
    }
}
