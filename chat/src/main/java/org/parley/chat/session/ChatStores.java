package org.parley.chat.session;

import java.util.ArrayList;
import java.util.List;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;

/**
 * Everything one local identity's chat keeps: libsignal's own stores (identity, sessions, one-time,
 * signed and Kyber prekeys, sender keys) plus the bookkeeping of {@link PrekeyService}. The node
 * implements it on its database with secrets encrypted at rest; {@link InMemoryChatStores} serves
 * tests.
 *
 * <p>Addresses are {@code (user ID text, device number)}. Contract beyond libsignal's:
 * {@link #isTrustedIdentity} must return false for a key that is not the one the address's user
 * ID names ({@link #keyMatchesAddress}), so no one can speak for an ID without its key; otherwise
 * it trusts on first use and then only the saved key. Implementations need not be thread safe:
 * {@link SessionManager} and {@link PrekeyService} call them under their own lock.
 */
public interface ChatStores extends SignalProtocolStore {

    /** This device's number, 1 to 127, under this identity. */
    int localDeviceId();

    /** A libsignal call on these stores, with the checked exceptions it may throw. */
    @FunctionalInterface
    interface Operation<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code operation}, a libsignal call that loads from and stores to these stores, as one
     * unit of the storage behind them (the node's database transaction), and returns its result.
     * {@link SessionManager} and {@link GroupSenderKeys} run every such call through here, under
     * their own lock.
     *
     * <p>Why: libsignal calls the stores back from native frames, where a virtual thread cannot
     * unmount. A store that waits there for its storage's lock holds a carrier thread for the whole
     * wait; under load the wait was seconds, with one of two carriers gone. Entered here, in Java
     * frames, the wait unmounts like any other, and the stores' writes join the unit without
     * waiting. The default runs the call as it is, for storage that takes no lock.
     *
     * @throws E what the call throws; the unit then keeps none of its writes
     */
    default <T, E extends Exception> T atomically(Operation<T, E> operation) throws E {
        return operation.run();
    }

    /**
     * Runs {@code operation} as {@link #atomically} does, for a libsignal call that loads and stores
     * only the session with {@code address} and that address's identity key: an encryption, or the
     * decryption of a message in a session that exists (not a first message, which also takes a
     * prekey). Storage with a lock may run such a call outside it, with the session and key read
     * beforehand and the rows it stores written under the lock afterwards, so the lock is not held
     * while libsignal computes. The default is {@link #atomically}.
     *
     * @throws E what the call throws; then none of its writes is kept
     */
    default <T, E extends Exception> T sessionStep(SignalProtocolAddress address, Operation<T, E> operation)
            throws E {
        return atomically(operation);
    }

    /**
     * Reserves {@code count} consecutive new ids of {@code kind} and returns the first. Ids are
     * never handed out twice (until the 24-bit space wraps), so a peer holding an old bundle can
     * never meet a different key under the same id.
     */
    int allocatePrekeyIds(PrekeyKind kind, int count);

    /** Stored one-time prekeys of {@code kind} (ONE_TIME_EC or KYBER) not yet offered in a bundle, lowest id first. */
    List<Integer> unofferedPrekeyIds(PrekeyKind kind);

    /** Records that the one-time prekey {@code id} went out in a bundle, so no other bundle offers it. */
    void markPrekeyOffered(PrekeyKind kind, int id);

    /** The one-time EC prekeys in store, offered or not (libsignal's PreKeyStore cannot list them). */
    List<Integer> loadPreKeyIds();

    /**
     * The sessions with every one of {@code addresses}, in order; derived from
     * {@link #loadSession}, so implementations store each session once and need no second path.
     *
     * @throws NoSessionException if one of them has no session
     */
    @Override
    default List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
        List<SessionRecord> out = new ArrayList<>();
        for (SignalProtocolAddress address : addresses) {
            SessionRecord record = loadSession(address);
            if (record == null) {
                throw new NoSessionException("no session with " + address);
            }
            out.add(record);
        }
        return out;
    }

    /** Whether {@code key} is the key that the user ID in {@code address}'s name stands for. */
    static boolean keyMatchesAddress(SignalProtocolAddress address, IdentityKey key) {
        try {
            return UserId.parse(address.getName()).equals(UserId.of(key));
        } catch (InvalidUserIdException e) {
            return false;
        }
    }
}
