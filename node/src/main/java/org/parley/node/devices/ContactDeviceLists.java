package org.parley.node.devices;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * The {@code contact_device_list} table: each contact's signed device list as last verified, with
 * when it was confirmed. The caller verifies a list before it is stored here. Thread safe (the
 * database serializes its callers).
 *
 * <p>Every chat envelope sent and every frame received looks its contact's list up, so the decoded
 * lists (and the absence of one) are kept in memory, shared by every instance on one database (the
 * devices and chat features each hold one). An entry is filled and dropped while the database's
 * lock is held, so it never outlives a write: {@link #putIfNotOlder} drops it in its transaction,
 * after it, and when the transaction it joined rolls back (a read inside may have refilled it).
 */
public final class ContactDeviceLists {

    /** A contact's list and when it was last confirmed. */
    public record Known(SignedDeviceList list, Instant fetchedAt) {}

    /** Which contact of which local identity a list belongs to. */
    private record Key(long identityRow, UserId contact) {}

    /** The in-memory copies, one map per open database, dropped with it. */
    private static final Map<NodeDatabase, Map<Key, Optional<Known>>> CACHES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final NodeDatabase database;
    private final Map<Key, Optional<Known>> cache;

    public ContactDeviceLists(NodeDatabase database) {
        this.database = database;
        this.cache = CACHES.computeIfAbsent(database, d -> new ConcurrentHashMap<>());
    }

    /** The stored list of {@code contact} under identity {@code identityRow}. */
    public Optional<Known> get(long identityRow, UserId contact) throws StorageException {
        Key key = new Key(identityRow, contact);
        Optional<Known> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        record Row(byte[] list, long fetchedAt) {}
        // What was read: the decoded list or its absence, or the stored bytes that do not decode.
        record Loaded(Optional<Known> known, PeerFaultException undecodable) {}
        Loaded loaded = database.read(connection -> {
            Row row;
            try (PreparedStatement select = connection.prepareStatement("SELECT list, fetched_at FROM"
                    + " contact_device_list WHERE identity_id = ? AND contact = ?")) {
                select.setLong(1, identityRow);
                select.setString(2, contact.text());
                try (ResultSet rows = select.executeQuery()) {
                    row = rows.next() ? new Row(rows.getBytes(1), rows.getLong(2)) : null;
                }
            }
            Optional<Known> known = Optional.empty();
            if (row != null) {
                try {
                    known = Optional.of(new Known(SignedDeviceList.decode(row.list()),
                            Instant.ofEpochMilli(row.fetchedAt())));
                } catch (PeerFaultException e) {
                    return new Loaded(Optional.empty(), e);
                }
            }
            // Filled under the database's lock, so no write can come between the read and this.
            cache.put(key, known);
            return new Loaded(known, null);
        });
        if (loaded.undecodable() != null) {
            throw new StorageException("a stored device list of " + contact + " does not decode: "
                    + loaded.undecodable().getMessage(), loaded.undecodable());
        }
        return loaded.known();
    }

    /**
     * Stores a verified {@code list} of {@code contact} unless a higher version is stored; an equal
     * version only refreshes the time.
     *
     * @return whether the stored version changed
     */
    public boolean putIfNotOlder(long identityRow, UserId contact, SignedDeviceList list, Instant now)
            throws StorageException {
        Key key = new Key(identityRow, contact);
        try {
            return store(key, list, now);
        } finally {
            cache.remove(key);
        }
    }

    private boolean store(Key key, SignedDeviceList list, Instant now) throws StorageException {
        long identityRow = key.identityRow();
        UserId contact = key.contact();
        return database.transaction(connection -> {
            database.onRollback(() -> cache.remove(key));
            cache.remove(key);
            long stored = -1;
            try (PreparedStatement select = connection.prepareStatement("SELECT version FROM contact_device_list"
                    + " WHERE identity_id = ? AND contact = ?")) {
                select.setLong(1, identityRow);
                select.setString(2, contact.text());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        stored = rows.getLong(1);
                    }
                }
            }
            long version = list.list().version();
            if (version < stored) {
                return false;
            }
            try (PreparedStatement upsert = connection.prepareStatement("INSERT OR REPLACE INTO contact_device_list"
                    + " (identity_id, contact, version, list, fetched_at) VALUES (?, ?, ?, ?, ?)")) {
                upsert.setLong(1, identityRow);
                upsert.setString(2, contact.text());
                upsert.setLong(3, version);
                upsert.setBytes(4, list.encode());
                upsert.setLong(5, now.toEpochMilli());
                upsert.executeUpdate();
            }
            return version > stored;
        });
    }
}
