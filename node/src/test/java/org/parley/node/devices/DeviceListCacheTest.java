package org.parley.node.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;
import org.parley.node.storage.StorageKey;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The in-memory copies of the device lists on a real database file: shared by every instance on
 * one database (the devices and chat features each hold one), never older than what was stored
 * through any of them, and never holding what a rolled-back transaction stored.
 */
class DeviceListCacheTest {

    private static final Instant T = Instant.parse("2026-12-04T16:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aContactsListStoredThroughOneInstanceIsWhatAnotherReadsAndARollbackLeavesNoTrace() throws Exception {
        try (StorageKey key = StorageKey.generate(); NodeDatabase database = NodeDatabase.open(dir.resolve("parley.db"))) {
            long row = new LocalIdentities(database, new ColumnCipher(key)).create(IdentityKeyPair.generate(), 1,
                    Optional.empty(), T).rowId();
            IdentityKeyPair bob = IdentityKeyPair.generate();
            UserId bobId = UserId.of(bob.getPublicKey());
            ContactDeviceLists chat = new ContactDeviceLists(database);
            ContactDeviceLists devices = new ContactDeviceLists(database);
            PeerId laptop = DeviceListTest.peer();
            PeerId phone = DeviceListTest.peer();
            DeviceList first = DeviceList.first(laptop, 1, T);
            DeviceList second = first.with(new DeviceList.Device(phone, first.nextNumber(), T));
            DeviceList third = second.revoke(phone, T.plusSeconds(60));

            assertThat(chat.get(row, bobId)).as("none yet (and that is remembered)").isEmpty();
            assertThat(devices.putIfNotOlder(row, bobId, SignedDeviceList.sign(first, bob), T)).isTrue();
            assertThat(chat.get(row, bobId).orElseThrow().list().list()).isEqualTo(first);

            devices.putIfNotOlder(row, bobId, SignedDeviceList.sign(second, bob), T.plusSeconds(1));
            assertThat(chat.get(row, bobId).orElseThrow().list().list()).isEqualTo(second);
            assertThat(chat.get(row, bobId).orElseThrow().fetchedAt()).isEqualTo(T.plusSeconds(1));
            assertThat(chat.putIfNotOlder(row, bobId, SignedDeviceList.sign(first, bob), T.plusSeconds(2)))
                    .as("an older version is not stored").isFalse();
            assertThat(devices.get(row, bobId).orElseThrow().list().list()).isEqualTo(second);

            assertThatThrownBy(() -> database.transaction(c -> {
                try {
                    devices.putIfNotOlder(row, bobId, SignedDeviceList.sign(third, bob), T.plusSeconds(3));
                    assertThat(chat.get(row, bobId).orElseThrow().list().list()).as("seen inside").isEqualTo(third);
                } catch (StorageException e) {
                    throw new java.sql.SQLException(e);
                }
                throw new IllegalStateException("the transaction it joined fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(chat.get(row, bobId).orElseThrow().list().list()).as("the rolled-back version is gone")
                    .isEqualTo(second);
            assertThat(new ContactDeviceLists(database).get(row, bobId).orElseThrow().list().list()).isEqualTo(second);
        }
    }

    @Test
    void anOwnListStoredThroughOneInstanceIsWhatAnotherReadsAndARollbackLeavesNoTrace() throws Exception {
        try (StorageKey key = StorageKey.generate(); NodeDatabase database = NodeDatabase.open(dir.resolve("parley.db"))) {
            ColumnCipher cipher = new ColumnCipher(key);
            IdentityKeyPair alice = IdentityKeyPair.generate();
            long row = new LocalIdentities(database, cipher).create(alice, 1, Optional.empty(), T).rowId();
            DeviceStore chat = new DeviceStore(database, cipher);
            DeviceStore devices = new DeviceStore(database, cipher);
            DeviceList first = DeviceList.first(DeviceListTest.peer(), 1, T);
            DeviceList second = first.with(new DeviceList.Device(DeviceListTest.peer(), first.nextNumber(), T));

            assertThat(chat.list(row)).isEmpty();
            devices.putList(row, SignedDeviceList.sign(first, alice));
            assertThat(chat.list(row).orElseThrow().list()).isEqualTo(first);

            assertThatThrownBy(() -> database.transaction(c -> {
                try {
                    devices.putList(row, SignedDeviceList.sign(second, alice));
                    assertThat(chat.list(row).orElseThrow().list()).as("seen inside").isEqualTo(second);
                } catch (StorageException e) {
                    throw new java.sql.SQLException(e);
                }
                throw new IllegalStateException("the transaction it joined fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(chat.list(row).orElseThrow().list()).isEqualTo(first);

            devices.putList(row, SignedDeviceList.sign(second, alice));
            assertThat(chat.list(row).orElseThrow().list()).isEqualTo(second);
            assertThat(new DeviceStore(database, cipher).list(row).orElseThrow().list()).isEqualTo(second);
        }
    }
}
