package org.parley.chat.session;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.EnvelopeCodec;
import org.parley.chat.wire.Padding;
import org.parley.chat.wire.PrekeyBundleMessage;
import org.parley.libp2p.core.PeerFaultException;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.InvalidVersionException;
import org.signal.libsignal.protocol.LegacyMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.UntrustedIdentityException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.kem.KEMPublicKey;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.PreKeyBundle;

/**
 * One local identity's pairwise sessions with other users' devices, through libsignal: starts a
 * PQXDH session from a peer's prekey bundle, then encrypts envelopes (encode, pad, encrypt) into
 * {@link ChatFrame}s and decrypts frames (decrypt, unpad, decode) with the Double Ratchet. Every
 * failure is a typed {@link ChatCryptoException}; a failed decryption changes no state.
 *
 * <p>Thread safe: one lock (shared with this identity's {@link PrekeyService}) around every use of
 * the stores, because libsignal's updates are read-modify-write.
 */
public final class SessionManager {

    private final ChatStores stores;
    private final ReentrantLock lock = new ReentrantLock();
    private final UserId self;

    public SessionManager(ChatStores stores) {
        this.stores = stores;
        this.self = UserId.of(stores.getIdentityKeyPair().getPublicKey());
    }

    /** The prekey service of the same stores, sharing this manager's lock. */
    public PrekeyService prekeyService(Clock clock) {
        return new PrekeyService(stores, clock, lock);
    }

    /** The sender keys of the same stores, for groups, sharing this manager's lock. */
    public GroupSenderKeys senderKeys() {
        return new GroupSenderKeys(stores, lock);
    }

    /** This identity's key pair, whose private half signs group operations. */
    public org.signal.libsignal.protocol.IdentityKeyPair identityKeyPair() {
        lock.lock();
        try {
            return stores.getIdentityKeyPair();
        } finally {
            lock.unlock();
        }
    }

    /** The local user. */
    public UserId self() {
        return self;
    }

    /** This device's number under the local identity. */
    public int localDevice() {
        return stores.localDeviceId();
    }

    /**
     * Runs {@code work} holding this manager's lock, so that several of its operations (and the
     * caller's own storage transaction around them) run with no other thread's operation between.
     * A caller that also takes a storage lock must take this one first, as every operation here
     * does; the lock is reentrant.
     */
    public <T> T exclusively(Callable<T> work) throws Exception {
        lock.lock();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }

    public boolean hasSession(ChatAddress address) {
        lock.lock();
        try {
            return stores.containsSession(address.toSignal());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts (or replaces) the session with the device that published {@code bundle}, which must be
     * a bundle of {@code expected}: the user we meant to reach.
     *
     * @throws IdentityKeyChangedException if the bundle's identity key is not the one of
     *     {@code expected} (or not the one on record for that device)
     * @throws InvalidPrekeyBundleException if a key does not parse or a signature does not verify
     */
    public ChatAddress startSession(UserId expected, PrekeyBundleMessage bundle) throws ChatCryptoException {
        ChatAddress address = new ChatAddress(expected, bundle.deviceId());
        PreKeyBundle signalBundle = toSignal(bundle);
        return libsignal(lock, stores, () -> {
            try {
                new SessionBuilder(stores, address.toSignal()).process(signalBundle);
                return address;
            } catch (UntrustedIdentityException e) {
                throw new IdentityKeyChangedException(address, e);
            } catch (InvalidKeyException e) {
                throw new InvalidPrekeyBundleException("the prekey bundle of " + address + " does not verify: "
                        + e.getMessage(), e);
            }
        });
    }

    /**
     * Encrypts {@code envelope} for {@code to}: encode, pad to its bucket, encrypt.
     *
     * @throws NoChatSessionException if there is no session with that device
     * @throws IdentityKeyChangedException if its identity key is no longer trusted
     */
    public ChatFrame encrypt(ChatAddress to, ChatEnvelope envelope) throws ChatCryptoException {
        byte[] padded = Padding.pad(EnvelopeCodec.encode(envelope));
        CiphertextMessage message = sessionStep(to, () -> {
            try {
                return new SessionCipher(stores, to.toSignal()).encrypt(padded);
            } catch (NoSessionException e) {
                throw new NoChatSessionException(to, e);
            } catch (UntrustedIdentityException e) {
                throw new IdentityKeyChangedException(to, e);
            }
        });
        ChatFrame.CiphertextKind kind = ChatFrame.CiphertextKind.of(message.getType());
        if (kind == null) {
            throw new IllegalStateException("libsignal produced a message of type " + message.getType()
                    + " for a pairwise session");
        }
        return new ChatFrame(self, stores.localDeviceId(), kind, message.serialize());
    }

    /**
     * Decrypts a frame from the device it names: decrypt, remove the padding, decode.
     *
     * @throws IdentityKeyChangedException if the message carries an identity key other than the
     *     sender's (its user ID's, and the one on record)
     * @throws ReplayedMessageException if this message was decrypted before
     * @throws InvalidChatMessageException if it fails authentication, does not parse, names a prekey
     *     we do not have, or holds an invalid envelope
     * @throws NoChatSessionException if it is not a first message and there is no session
     */
    public ChatEnvelope decrypt(ChatFrame frame) throws ChatCryptoException {
        ChatAddress from = new ChatAddress(frame.sender(), frame.senderDevice());
        ChatStores.Operation<byte[], ChatCryptoException> decryption = () -> {
            SessionCipher cipher = new SessionCipher(stores, from.toSignal());
            try {
                return switch (frame.kind()) {
                    case PREKEY -> cipher.decrypt(new PreKeySignalMessage(frame.ciphertext()));
                    case WHISPER -> cipher.decrypt(new SignalMessage(frame.ciphertext()));
                };
            } catch (UntrustedIdentityException e) {
                throw new IdentityKeyChangedException(from, e);
            } catch (DuplicateMessageException e) {
                throw new ReplayedMessageException(from, e);
            } catch (NoSessionException e) {
                throw new NoChatSessionException(from, e);
            } catch (InvalidKeyIdException e) {
                throw new InvalidChatMessageException("a first message from " + from
                        + " names a prekey this device does not have (used or never offered)", e);
            } catch (InvalidMessageException | InvalidVersionException | LegacyMessageException
                    | InvalidKeyException e) {
                throw new InvalidChatMessageException("a message from " + from
                        + " failed authentication or does not parse: " + e.getMessage(), e);
            }
        };
        // A first message also takes one of our prekeys: that call stays whole inside the stores' unit.
        byte[] padded = frame.kind() == ChatFrame.CiphertextKind.WHISPER ? sessionStep(from, decryption)
                : libsignal(lock, stores, decryption);
        try {
            return EnvelopeCodec.decode(Padding.unpad(padded));
        } catch (PeerFaultException e) {
            throw new InvalidChatMessageException("an authentic message from " + from + " holds an invalid envelope: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs a libsignal call on {@code stores} under {@code lock}, inside the stores' own unit of
     * work ({@link ChatStores#atomically}, which says why). Every call that may store goes
     * through here, for {@link GroupSenderKeys} too, or through {@link #sessionStep}.
     */
    static <T, E extends Exception> T libsignal(ReentrantLock lock, ChatStores stores,
            ChatStores.Operation<T, E> operation) throws E {
        return locked(lock, () -> stores.atomically(operation));
    }

    /** Runs a libsignal call that steps only the session with {@code address} ({@link ChatStores#sessionStep}), under the lock. */
    private <T, E extends Exception> T sessionStep(ChatAddress address, ChatStores.Operation<T, E> operation) throws E {
        return locked(lock, () -> stores.sessionStep(address.toSignal(), operation));
    }

    private static <T, E extends Exception> T locked(ReentrantLock lock, ChatStores.Operation<T, E> operation) throws E {
        lock.lock();
        try {
            return operation.run();
        } finally {
            lock.unlock();
        }
    }

    private static PreKeyBundle toSignal(PrekeyBundleMessage b) throws InvalidPrekeyBundleException {
        try {
            IdentityKey identity = new IdentityKey(b.identity().serializedKey());
            ECPublicKey signed = new ECPublicKey(b.signedPrekey());
            ECPublicKey oneTime = b.oneTimePrekeyId().isPresent() ? new ECPublicKey(b.oneTimePrekey()) : null;
            KEMPublicKey kyber = new KEMPublicKey(b.kyberPrekey());
            return new PreKeyBundle(b.registrationId(), b.deviceId(),
                    b.oneTimePrekeyId().orElse(PreKeyBundle.NULL_PRE_KEY_ID), oneTime,
                    b.signedPrekeyId(), signed, b.signedPrekeySignature(), identity,
                    b.kyberPrekeyId(), kyber, b.kyberPrekeySignature());
        } catch (InvalidKeyException e) {
            throw new InvalidPrekeyBundleException("a key in the prekey bundle of " + b.identity() + "/" + b.deviceId()
                    + " does not parse: " + e.getMessage(), e);
        }
    }
}
