package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.wire.PrekeyBundleMessage;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/** Signed prekey rotation on a fake clock, one-time pools offered once and refilled, keys spent by use. */
class PrekeyServiceTest {

    private MutableClock clock;
    private InMemoryChatStores stores;
    private PrekeyService service;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
        stores = new InMemoryChatStores(IdentityKeyPair.generate(), 42, 1);
        service = new SessionManager(stores).prekeyService(clock);
    }

    @Test
    void firstBundleCreatesASignedPrekeyAndFullPools() {
        PrekeyBundleMessage bundle = service.nextBundle();
        assertThat(stores.loadSignedPreKeys()).hasSize(1);
        assertThat(stores.loadPreKeyIds()).hasSize(PrekeyService.ONE_TIME_POOL_SIZE);
        assertThat(stores.loadKyberPreKeys()).hasSize(PrekeyService.ONE_TIME_POOL_SIZE);
        assertThat(bundle.registrationId()).isEqualTo(42);
        assertThat(bundle.deviceId()).isEqualTo(1);
        assertThat(bundle.identity().serializedKey()).isEqualTo(stores.getIdentityKeyPair().getPublicKey().serialize());
        assertThat(bundle.oneTimePrekeyId()).isPresent();
        // The signatures are the identity key's over the serialized public keys.
        var identity = stores.getIdentityKeyPair().getPublicKey().getPublicKey();
        assertThat(identity.verifySignature(bundle.signedPrekey(), bundle.signedPrekeySignature())).isTrue();
        assertThat(identity.verifySignature(bundle.kyberPrekey(), bundle.kyberPrekeySignature())).isTrue();
    }

    @Test
    void eachOneTimeKeyIsOfferedInOneBundleOnly() {
        Set<Integer> ec = new HashSet<>();
        Set<Integer> kyber = new HashSet<>();
        for (int i = 0; i < 150; i++) {
            PrekeyBundleMessage b = service.nextBundle();
            assertThat(ec.add(b.oneTimePrekeyId().getAsInt())).as("EC prekey %s offered twice", b.oneTimePrekeyId()).isTrue();
            assertThat(kyber.add(b.kyberPrekeyId())).as("Kyber prekey %d offered twice", b.kyberPrekeyId()).isTrue();
        }
    }

    @Test
    void poolIsRefilledWhenFewUnofferedKeysAreLeft() {
        int untilThreshold = PrekeyService.ONE_TIME_POOL_SIZE - PrekeyService.REFILL_THRESHOLD;
        for (int i = 0; i < untilThreshold; i++) {
            service.nextBundle();
        }
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC)).hasSize(PrekeyService.REFILL_THRESHOLD);
        assertThat(stores.loadPreKeyIds()).hasSize(PrekeyService.ONE_TIME_POOL_SIZE);

        service.nextBundle(); // takes one more after checking the pool: still at the threshold, no refill yet
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC)).hasSize(PrekeyService.REFILL_THRESHOLD - 1);
        service.maintain();
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC)).hasSize(PrekeyService.ONE_TIME_POOL_SIZE);
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.KYBER)).hasSize(PrekeyService.ONE_TIME_POOL_SIZE);
        // Offered keys stay until used, so a peer holding their bundle can still start a session.
        assertThat(stores.loadPreKeyIds()).hasSize(PrekeyService.ONE_TIME_POOL_SIZE + untilThreshold + 1);
    }

    @Test
    void signedPrekeyRotatesWeeklyAndOldOnesAreKeptForTheRetentionPeriod() {
        int first = service.nextBundle().signedPrekeyId();
        clock.advance(PrekeyService.SIGNED_PREKEY_ROTATION.minusMinutes(1));
        assertThat(service.nextBundle().signedPrekeyId()).isEqualTo(first);

        clock.advance(Duration.ofMinutes(1));
        int second = service.nextBundle().signedPrekeyId();
        assertThat(second).isNotEqualTo(first);
        assertThat(stores.loadSignedPreKeys()).extracting(SignedPreKeyRecord::getId).containsExactlyInAnyOrder(first, second);

        // Weekly rotations go on; the first key goes once it was replaced longer ago than the retention.
        for (int week = 0; week < 5; week++) {
            clock.advance(PrekeyService.SIGNED_PREKEY_ROTATION);
            service.maintain();
        }
        assertThat(stores.loadSignedPreKeys()).extracting(SignedPreKeyRecord::getId).doesNotContain(first).contains(second);
        assertThat(stores.loadSignedPreKeys()).hasSizeLessThanOrEqualTo(
                (int) (PrekeyService.SIGNED_PREKEY_RETENTION.toDays() / PrekeyService.SIGNED_PREKEY_ROTATION.toDays()) + 2);
    }

    @Test
    void oneTimeKeysAreDeletedOnceASessionUsesThem() throws Exception {
        Party bob = new Party(InMemoryChatStoresTest.FACTORY, stores, clock);
        Party alice = Party.create(InMemoryChatStoresTest.FACTORY, 1);
        PrekeyBundleMessage bundle = bob.prekeys.nextBundle();
        alice.sessions.startSession(bob.id(), bundle);
        assertThat(stores.containsPreKey(bundle.oneTimePrekeyId().getAsInt())).isTrue();
        assertThat(stores.containsKyberPreKey(bundle.kyberPrekeyId())).isTrue();

        bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("hi")));
        assertThat(stores.containsPreKey(bundle.oneTimePrekeyId().getAsInt())).isFalse();
        assertThat(stores.containsKyberPreKey(bundle.kyberPrekeyId())).isFalse();
    }

    @Test
    void bundleFromBeforeARotationStillStartsASession() throws Exception {
        Party bob = new Party(InMemoryChatStoresTest.FACTORY, stores, clock);
        PrekeyBundleMessage old = bob.prekeys.nextBundle();
        clock.advance(PrekeyService.SIGNED_PREKEY_ROTATION.plusDays(1));
        bob.prekeys.maintain();
        assertThat(bob.prekeys.nextBundle().signedPrekeyId()).isNotEqualTo(old.signedPrekeyId());

        Party alice = Party.create(InMemoryChatStoresTest.FACTORY, 1);
        alice.sessions.startSession(bob.id(), old);
        assertThat(Party.textOf(bob.sessions.decrypt(alice.sessions.encrypt(bob.address(), Party.text("queued")))))
                .isEqualTo("queued");
    }
}
