package org.parley.chat.session;

import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * Makes the {@link ChatStores} a contract suite runs against: the in-memory ones in this module,
 * the database-backed ones in the node.
 */
public interface ChatStoresFactory {

    /** Empty stores of a new local identity. */
    ChatStores create(IdentityKeyPair identity, int registrationId, int deviceId) throws Exception;

    /**
     * An independent copy of everything {@code stores} holds now: what someone who copied the data
     * dir at this moment would hold (for a database, a copy of its files).
     */
    ChatStores snapshot(ChatStores stores) throws Exception;
}
