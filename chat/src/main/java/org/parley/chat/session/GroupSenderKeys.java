package org.parley.chat.session;

import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.EnvelopeCodec;
import org.parley.chat.wire.Padding;
import org.parley.libp2p.core.PeerFaultException;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.signal.libsignal.protocol.message.SenderKeyMessage;

/**
 * One local identity's libsignal sender keys: creates this device's key for a group epoch (named by
 * its distribution id), takes in other members' keys, and encrypts and decrypts group envelopes
 * (encode, pad, encrypt; decrypt, unpad, decode). Whom a key goes to and which epochs count is
 * the group layer's business.
 *
 * <p>Thread safe: shares the lock of the {@link SessionManager} it came from.
 */
public final class GroupSenderKeys {

    private final ChatStores stores;
    private final ReentrantLock lock;

    GroupSenderKeys(ChatStores stores, ReentrantLock lock) {
        this.stores = stores;
        this.lock = lock;
    }

    private ChatAddress self() {
        return new ChatAddress(org.parley.chat.identity.UserId.of(stores.getIdentityKeyPair().getPublicKey()),
                stores.localDeviceId());
    }

    /**
     * This device's sender key for the epoch {@code distributionId}, as a serialized
     * SenderKeyDistributionMessage; created on first call, the same chain afterwards.
     */
    public byte[] distribution(UUID distributionId) {
        return SessionManager.libsignal(lock, stores,
                () -> new GroupSessionBuilder(stores).create(self().toSignal(), distributionId).serialize());
    }

    /** The epoch a serialized distribution is for. */
    public static UUID distributionIdOf(byte[] distribution) throws InvalidChatMessageException {
        try {
            return new SenderKeyDistributionMessage(distribution).getDistributionId();
        } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException | InvalidKeyException e) {
            throw new InvalidChatMessageException("a sender key distribution does not parse: " + e.getMessage(), e);
        }
    }

    /** The epoch a serialized sender-key ciphertext is for. */
    public static UUID distributionIdOfCiphertext(byte[] ciphertext) throws InvalidChatMessageException {
        try {
            return new SenderKeyMessage(ciphertext).getDistributionId();
        } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException e) {
            throw new InvalidChatMessageException("a group ciphertext does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code from}'s sender key. The caller checked that {@code from} sent it over their own
     * pairwise session: a key relayed by someone else would let them speak for {@code from}.
     */
    public void process(ChatAddress from, byte[] distribution) throws InvalidChatMessageException {
        try {
            SenderKeyDistributionMessage message = new SenderKeyDistributionMessage(distribution);
            SessionManager.libsignal(lock, stores, () -> {
                new GroupSessionBuilder(stores).process(from.toSignal(), message);
                return null;
            });
        } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException | InvalidKeyException e) {
            throw new InvalidChatMessageException("a sender key distribution from " + from + " does not parse: "
                    + e.getMessage(), e);
        }
    }

    /** Encrypts {@code envelope} with this device's sender key for {@code distributionId}. */
    public byte[] encrypt(UUID distributionId, ChatEnvelope envelope) {
        byte[] padded = Padding.pad(EnvelopeCodec.encode(envelope));
        return SessionManager.libsignal(lock, stores, () -> {
            try {
                return new GroupCipher(stores, self().toSignal()).encrypt(distributionId, padded).serialize();
            } catch (NoSessionException e) {
                // distribution() creates the key first; a missing one here is our bug.
                throw new IllegalStateException("no own sender key for epoch " + distributionId
                        + "; create its distribution first", e);
            }
        });
    }

    /**
     * Decrypts a group ciphertext written by {@code origin}, checking its signature against the
     * origin's sender key.
     *
     * @throws NoSenderKeyException if this device holds no key of {@code origin} for its epoch
     * @throws ReplayedMessageException if it was decrypted before
     * @throws InvalidChatMessageException if it fails authentication or holds an invalid envelope
     */
    public ChatEnvelope decrypt(ChatAddress origin, byte[] ciphertext) throws ChatCryptoException {
        UUID epoch = distributionIdOfCiphertext(ciphertext);
        byte[] padded = SessionManager.libsignal(lock, stores, () -> {
            try {
                return new GroupCipher(stores, origin.toSignal()).decrypt(ciphertext);
            } catch (NoSessionException e) {
                throw new NoSenderKeyException(origin, epoch, e);
            } catch (DuplicateMessageException e) {
                throw new ReplayedMessageException(origin, e);
            } catch (InvalidMessageException | LegacyMessageException e) {
                throw new InvalidChatMessageException("a group message from " + origin
                        + " failed authentication or does not parse: " + e.getMessage(), e);
            }
        });
        try {
            return EnvelopeCodec.decode(Padding.unpad(padded));
        } catch (PeerFaultException e) {
            throw new InvalidChatMessageException("an authentic group message from " + origin
                    + " holds an invalid envelope: " + e.getMessage(), e);
        }
    }
}
