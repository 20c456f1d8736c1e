package org.parley.chat.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.state.IdentityKeyStore;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;

/**
 * What every {@link ChatStores} must do beyond storing: the trust rule that ties an address to
 * its user ID's key, trust on first use, prekey ids never reused, one-time keys offered once and
 * forgotten once used, and records that survive a round trip. Each implementation runs it by
 * extending it.
 */
public abstract class ChatStoresContract {

    /** The stores under test. */
    protected abstract ChatStoresFactory factory();

    private ChatStores stores;
    private IdentityKeyPair own;

    @BeforeEach
    public void createStores() throws Exception {
        own = IdentityKeyPair.generate();
        stores = factory().create(own, 77, 3);
    }

    private static SignalProtocolAddress addressOf(IdentityKey key, int device) {
        return new SignalProtocolAddress(UserId.of(key).text(), device);
    }

    @Test
    public void holdsTheLocalIdentity() {
        assertThat(stores.getIdentityKeyPair().serialize()).isEqualTo(own.serialize());
        assertThat(stores.getLocalRegistrationId()).isEqualTo(77);
        assertThat(stores.localDeviceId()).isEqualTo(3);
    }

    @Test
    public void trustsOnlyTheKeyTheAddressesUserIdNames() {
        IdentityKey alice = IdentityKeyPair.generate().getPublicKey();
        IdentityKey mallory = IdentityKeyPair.generate().getPublicKey();
        SignalProtocolAddress aliceAddress = addressOf(alice, 1);
        assertThat(stores.isTrustedIdentity(aliceAddress, alice, IdentityKeyStore.Direction.RECEIVING)).isTrue();
        assertThat(stores.isTrustedIdentity(aliceAddress, mallory, IdentityKeyStore.Direction.RECEIVING)).isFalse();
        assertThat(stores.isTrustedIdentity(aliceAddress, mallory, IdentityKeyStore.Direction.SENDING)).isFalse();
        assertThat(stores.isTrustedIdentity(new SignalProtocolAddress("not an id", 1), alice,
                IdentityKeyStore.Direction.SENDING)).isFalse();
    }

    @Test
    public void savesIdentitiesAndReportsAReplacement() {
        IdentityKey alice = IdentityKeyPair.generate().getPublicKey();
        IdentityKey other = IdentityKeyPair.generate().getPublicKey();
        SignalProtocolAddress address = addressOf(alice, 1);
        assertThat(stores.getIdentity(address)).isNull();
        assertThat(stores.saveIdentity(address, alice)).isEqualTo(IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED);
        assertThat(stores.saveIdentity(address, alice)).isEqualTo(IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED);
        assertThat(stores.getIdentity(address)).isEqualTo(alice);
        assertThat(stores.saveIdentity(address, other)).isEqualTo(IdentityKeyStore.IdentityChange.REPLACED_EXISTING);
        // A saved key that differs from the ID's own is never trusted, nor is the ID's key once another is on record.
        assertThat(stores.isTrustedIdentity(address, other, IdentityKeyStore.Direction.SENDING)).isFalse();
        assertThat(stores.isTrustedIdentity(address, alice, IdentityKeyStore.Direction.SENDING)).isFalse();
    }

    @Test
    public void prekeyIdsAreNeverHandedOutTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            int first = stores.allocatePrekeyIds(PrekeyKind.ONE_TIME_EC, 10);
            assertThat(first).isBetween(1, org.parley.chat.wire.PrekeyBundleMessage.MAX_PREKEY_ID - 9);
            for (int id = first; id < first + 10; id++) {
                assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
            }
        }
    }

    @Test
    public void oneTimePrekeysAreOfferedOnceAndForgottenOnceRemoved() throws Exception {
        int first = stores.allocatePrekeyIds(PrekeyKind.ONE_TIME_EC, 3);
        for (int id = first; id < first + 3; id++) {
            stores.storePreKey(id, new PreKeyRecord(id, ECKeyPair.generate()));
        }
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC)).containsExactly(first, first + 1, first + 2);
        stores.markPrekeyOffered(PrekeyKind.ONE_TIME_EC, first);
        assertThat(stores.unofferedPrekeyIds(PrekeyKind.ONE_TIME_EC)).containsExactly(first + 1, first + 2);
        assertThat(stores.loadPreKeyIds()).containsExactlyInAnyOrder(first, first + 1, first + 2);
        assertThat(stores.loadPreKey(first).getId()).isEqualTo(first);

        stores.removePreKey(first);
        assertThat(stores.containsPreKey(first)).isFalse();
        assertThatThrownBy(() -> stores.loadPreKey(first)).isInstanceOf(InvalidKeyIdException.class);
        assertThat(stores.loadPreKeyIds()).containsExactlyInAnyOrder(first + 1, first + 2);
    }

    @Test
    public void sessionsAreKeptPerDevice() {
        IdentityKey alice = IdentityKeyPair.generate().getPublicKey();
        SignalProtocolAddress one = addressOf(alice, 1);
        SignalProtocolAddress two = addressOf(alice, 2);
        assertThat(stores.containsSession(one)).isFalse();
        stores.storeSession(one, new SessionRecord());
        stores.storeSession(two, new SessionRecord());
        assertThat(stores.containsSession(one)).isTrue();
        assertThat(stores.getSubDeviceSessions(one.getName())).containsExactly(2);
        stores.deleteSession(two);
        assertThat(stores.containsSession(two)).isFalse();
        stores.deleteAllSessions(one.getName());
        assertThat(stores.containsSession(one)).isFalse();
    }

    @Test
    public void senderKeysRoundTrip() {
        SignalProtocolAddress me = addressOf(own.getPublicKey(), 3);
        UUID distribution = UUID.randomUUID();
        assertThat(stores.loadSenderKey(me, distribution)).isNull();
        // Creating a distribution message stores our own sender key for the group.
        new GroupSessionBuilder(stores).create(me, distribution);
        assertThat(stores.loadSenderKey(me, distribution)).isNotNull();
        assertThat(stores.loadSenderKey(me, UUID.randomUUID())).isNull();
    }

    @Test
    public void aSnapshotIsIndependentOfLaterChanges() throws Exception {
        IdentityKey alice = IdentityKeyPair.generate().getPublicKey();
        SignalProtocolAddress address = addressOf(alice, 1);
        stores.saveIdentity(address, alice);
        ChatStores copy = factory().snapshot(stores);
        stores.storeSession(address, new SessionRecord());
        assertThat(copy.getIdentity(address)).isEqualTo(alice);
        assertThat(copy.containsSession(address)).isFalse();
        assertThat(List.of(copy.getIdentityKeyPair().serialize())).containsExactly(own.serialize());
    }
}
