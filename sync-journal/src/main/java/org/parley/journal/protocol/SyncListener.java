package org.parley.journal.protocol;

import org.parley.journal.InvalidEntryException;
import org.parley.libp2p.peer.PeerId;

/**
 * Hears how exchanges with siblings go, in either role: the node turns these into sync state,
 * events and log lines. Called on the exchange's thread; implementations return quickly.
 */
public interface SyncListener {

    /** An exchange with {@code peer} began. */
    default void started(PeerId peer, boolean initiator) {}

    /** An exchange finished. */
    default void exchanged(ExchangeResult result) {}

    /** {@code peer} sent an invalid entry: the exchange stopped and the stream was reset. */
    default void refused(PeerId peer, InvalidEntryException e) {}

    /** The exchange failed otherwise (connection lost, malformed message). */
    default void failed(PeerId peer, Exception e) {}

    SyncListener NONE = new SyncListener() {};
}
