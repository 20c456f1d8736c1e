package org.parley.chat.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.PrekeyBundleMessage;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * Keeps one identity's prekeys on this device and builds the bundles that peers fetch over
 * {@code /parley/prekeys/1.0.0}: rotates the signed prekey weekly, keeps pools of one-time EC and
 * Kyber prekeys, offers each one-time key in one bundle only, and refills a pool when few unoffered
 * keys are left.
 *
 * <p>Thread safe: one lock around every use of the stores. How often a peer may ask for a bundle
 * (each one spends one-time keys) is the node's rate limit to enforce.
 */
public final class PrekeyService {

    /** How long one signed prekey is offered: weekly, as Signal clients rotate theirs. */
    public static final Duration SIGNED_PREKEY_ROTATION = Duration.ofDays(7);

    /**
     * How long a replaced signed prekey is kept, so a first message built from a bundle fetched
     * just before a rotation, and queued while we were offline, still decrypts.
     */
    public static final Duration SIGNED_PREKEY_RETENTION = Duration.ofDays(30);

    /**
     * One-time keys generated per refill. 100 bundles before a refill covers a burst of new
     * contacts; a Kyber-1024 key pair is about 4.7 KB stored, so a full pool is under 0.5 MB.
     */
    public static final int ONE_TIME_POOL_SIZE = 100;

    /** Refill when fewer unoffered keys than this are left, well before a burst can empty the pool. */
    public static final int REFILL_THRESHOLD = 20;

    private final ChatStores stores;
    private final Clock clock;
    private final ReentrantLock lock;

    /**
     * @param lock shared with the {@link SessionManager} of the same stores, so the two never use
     *     them at once
     */
    PrekeyService(ChatStores stores, Clock clock, ReentrantLock lock) {
        this.stores = stores;
        this.clock = clock;
        this.lock = lock;
    }

    /** Rotates the signed prekey if due, drops expired ones and refills the one-time pools. */
    public void maintain() {
        lock.lock();
        try {
            rotateSignedPrekey();
            refill();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A bundle for one peer: the current signed prekey, the next unoffered one-time EC and Kyber
     * prekeys (each then marked offered, so no other bundle carries them), after
     * {@link #maintain()}.
     */
    public PrekeyBundleMessage nextBundle() {
        lock.lock();
        try {
            rotateSignedPrekey();
            refill();
            IdentityKeyPair identity = stores.getIdentityKeyPair();
            SignedPreKeyRecord signed = currentSignedPrekey();
            int kyberId = stores.unofferedPrekeyIds(PrekeyKind.KYBER).getFirst();
            KyberPreKeyRecord kyber = stores.loadKyberPreKey(kyberId);
            List<Integer> ec = stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC);
            OptionalInt oneTimeId = OptionalInt.empty();
            byte[] oneTime = new byte[0];
            if (!ec.isEmpty()) {
                oneTimeId = OptionalInt.of(ec.getFirst());
                oneTime = stores.loadPreKey(ec.getFirst()).getKeyPair().getPublicKey().serialize();
                stores.markPrekeyOffered(PrekeyKind.ONE_TIME_EC, ec.getFirst());
            }
            stores.markPrekeyOffered(PrekeyKind.KYBER, kyberId);
            return new PrekeyBundleMessage(stores.getLocalRegistrationId(), stores.localDeviceId(),
                    UserId.of(identity.getPublicKey()), signed.getId(), signed.getKeyPair().getPublicKey().serialize(),
                    signed.getSignature(), oneTimeId, oneTime, kyber.getId(), kyber.getKeyPair().getPublicKey().serialize(),
                    kyber.getSignature());
        } catch (InvalidKeyIdException | InvalidKeyException e) {
            throw new IllegalStateException("a prekey just listed by the store cannot be loaded", e);
        } finally {
            lock.unlock();
        }
    }

    private SignedPreKeyRecord currentSignedPrekey() {
        return stores.loadSignedPreKeys().stream()
                .max(Comparator.comparingLong(SignedPreKeyRecord::getTimestamp).thenComparingInt(SignedPreKeyRecord::getId))
                .orElseThrow(() -> new IllegalStateException("no signed prekey after rotation"));
    }

    private void rotateSignedPrekey() {
        Instant now = clock.instant();
        List<SignedPreKeyRecord> all = stores.loadSignedPreKeys();
        long newest = all.stream().mapToLong(SignedPreKeyRecord::getTimestamp).max().orElse(Long.MIN_VALUE);
        if (all.isEmpty() || !now.isBefore(Instant.ofEpochMilli(newest).plus(SIGNED_PREKEY_ROTATION))) {
            ECKeyPair pair = ECKeyPair.generate();
            byte[] signature = stores.getIdentityKeyPair().getPrivateKey().calculateSignature(pair.getPublicKey().serialize());
            int id = stores.allocatePrekeyIds(PrekeyKind.SIGNED, 1);
            stores.storeSignedPreKey(id, new SignedPreKeyRecord(id, now.toEpochMilli(), pair, signature));
            newest = now.toEpochMilli();
        }
        // A replaced key is kept for the retention period counted from when it was replaced, which
        // is no earlier than its own creation plus the rotation period.
        Instant dropBefore = now.minus(SIGNED_PREKEY_RETENTION).minus(SIGNED_PREKEY_ROTATION);
        for (SignedPreKeyRecord r : all) {
            if (r.getTimestamp() != newest && Instant.ofEpochMilli(r.getTimestamp()).isBefore(dropBefore)) {
                stores.removeSignedPreKey(r.getId());
            }
        }
    }

    private void refill() {
        IdentityKeyPair identity = stores.getIdentityKeyPair();
        int ec = stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC).size();
        if (ec < REFILL_THRESHOLD) {
            int count = ONE_TIME_POOL_SIZE - ec;
            int first = stores.allocatePrekeyIds(PrekeyKind.ONE_TIME_EC, count);
            for (int id = first; id < first + count; id++) {
                stores.storePreKey(id, new PreKeyRecord(id, ECKeyPair.generate()));
            }
        }
        int kyber = stores.unofferedPrekeyIds(PrekeyKind.KYBER).size();
        if (kyber < REFILL_THRESHOLD) {
            int count = ONE_TIME_POOL_SIZE - kyber;
            int first = stores.allocatePrekeyIds(PrekeyKind.KYBER, count);
            long now = clock.millis();
            for (int id = first; id < first + count; id++) {
                KEMKeyPair pair = KEMKeyPair.generate(KEMKeyType.KYBER_1024);
                byte[] signature = identity.getPrivateKey().calculateSignature(pair.getPublicKey().serialize());
                stores.storeKyberPreKey(id, new KyberPreKeyRecord(id, now, pair, signature));
            }
        }
    }
}
