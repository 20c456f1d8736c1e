package org.parley.journal.protocol;

import org.parley.journal.store.VersionVector;
import org.parley.libp2p.peer.PeerId;

/**
 * What one reconciliation exchange with a sibling did: entries and bytes each way, how far behind
 * this device was when it began, and whether either side stopped at the per-exchange limit (then
 * another exchange continues). Immutable.
 *
 * @param behindBefore entries the peer held that this device lacked when the vectors were swapped
 * @param aheadBefore entries this device held that the peer lacked
 * @param bytesReceived frame bytes read, vectors included
 * @param bytesSent frame bytes written, vectors included
 * @param more true if either side has more to send than one exchange carries
 */
public record ExchangeResult(PeerId peer, VersionVector peerVector, long behindBefore, long aheadBefore,
        int entriesReceived, int entriesStored, int entriesSent, long bytesReceived, long bytesSent,
        long entryBytesReceived, boolean more) {}
