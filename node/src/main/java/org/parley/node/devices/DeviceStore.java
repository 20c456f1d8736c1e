package org.parley.node.devices;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;

/**
 * The {@code device_list} and {@code history_key} tables: each local identity's signed device
 * list, and its history keys by generation, each key sealed by {@link ColumnCipher}. Thread safe
 * (the database serializes its callers).
 *
 * <p>A text sent to a contact also looks up this user's own list (for the sent copies), so the
 * decoded lists are kept in memory, shared by every instance on one database. An entry is filled
 * and dropped while the database's lock is held, so it never outlives a write: {@link #putList}
 * drops it in its transaction, after it, and when the transaction it joined rolls back.
 */
public final class DeviceStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The in-memory copies of the own lists by identity row, one map per open database, dropped with it. */
    private static final Map<NodeDatabase, Map<Long, Optional<SignedDeviceList>>> LIST_CACHES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final Map<Long, Optional<SignedDeviceList>> lists;

    public DeviceStore(NodeDatabase database, ColumnCipher cipher) {
        this.database = database;
        this.cipher = cipher;
        this.lists = LIST_CACHES.computeIfAbsent(database, d -> new ConcurrentHashMap<>());
    }

    /** The signed device list of identity {@code identityRow}, if it has one yet. */
    public Optional<SignedDeviceList> list(long identityRow) throws StorageException {
        Optional<SignedDeviceList> cached = lists.get(identityRow);
        if (cached != null) {
            return cached;
        }
        // What was read: the decoded list or its absence, or the stored bytes that do not decode.
        record Loaded(Optional<SignedDeviceList> list, PeerFaultException undecodable) {}
        Loaded loaded = database.read(connection -> {
            byte[] stored;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT list FROM device_list WHERE identity_id = ?")) {
                select.setLong(1, identityRow);
                try (ResultSet row = select.executeQuery()) {
                    stored = row.next() ? row.getBytes(1) : null;
                }
            }
            Optional<SignedDeviceList> list = Optional.empty();
            if (stored != null) {
                try {
                    list = Optional.of(SignedDeviceList.decode(stored));
                } catch (PeerFaultException e) {
                    return new Loaded(Optional.empty(), e);
                }
            }
            // Filled under the database's lock, so no write can come between the read and this.
            lists.put(identityRow, list);
            return new Loaded(list, null);
        });
        if (loaded.undecodable() != null) {
            throw new StorageException("the stored device list of identity " + identityRow + " does not decode: "
                    + loaded.undecodable().getMessage(), loaded.undecodable());
        }
        return loaded.list();
    }

    /** Stores {@code list} as identity {@code identityRow}'s, replacing an older one. */
    public void putList(long identityRow, SignedDeviceList list) throws StorageException {
        try {
            store(identityRow, list);
        } finally {
            lists.remove(identityRow);
        }
    }

    private void store(long identityRow, SignedDeviceList list) throws StorageException {
        database.transaction(connection -> {
            database.onRollback(() -> lists.remove(identityRow));
            lists.remove(identityRow);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO device_list (identity_id, version,"
                    + " list) VALUES (?, ?, ?) ON CONFLICT (identity_id) DO UPDATE SET version = excluded.version,"
                    + " list = excluded.list")) {
                upsert.setLong(1, identityRow);
                upsert.setLong(2, list.list().version());
                upsert.setBytes(3, list.encode());
                return upsert.executeUpdate();
            }
        });
    }

    /** A history key of some generation. Never logged: {@link #toString()} shows the generation only. */
    public record HistoryKey(int generation, byte[] key) {
        @Override
        public String toString() {
            return "HistoryKey[generation=" + generation + "]";
        }
    }

    /** The newest history key of identity {@code identityRow}, created (generation 1) if it has none. */
    public HistoryKey historyKey(long identityRow, Instant now) throws StorageException {
        Optional<HistoryKey> current = currentHistoryKey(identityRow);
        if (current.isPresent()) {
            return current.get();
        }
        return putHistoryKey(identityRow, 1, newKey(), now);
    }

    /** A new random history key one generation above the current one (a revoke rotates it). */
    public HistoryKey rotateHistoryKey(long identityRow, Instant now) throws StorageException {
        int generation = currentHistoryKey(identityRow).map(HistoryKey::generation).orElse(0) + 1;
        return putHistoryKey(identityRow, generation, newKey(), now);
    }

    /** Stores {@code key} as generation {@code generation} (a linked device receives its user's key this way). */
    public HistoryKey putHistoryKey(long identityRow, int generation, byte[] key, Instant now) throws StorageException {
        byte[] sealed = cipher.seal(key, context(identityRow, generation));
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO history_key"
                    + " (identity_id, generation, key, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setLong(1, identityRow);
                insert.setInt(2, generation);
                insert.setBytes(3, sealed);
                insert.setLong(4, now.toEpochMilli());
                return insert.executeUpdate();
            }
        });
        return new HistoryKey(generation, key.clone());
    }

    /** The newest history key of identity {@code identityRow}, if any. */
    public Optional<HistoryKey> currentHistoryKey(long identityRow) throws StorageException {
        record Row(int generation, byte[] sealed) {}
        Row row = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT generation, key FROM history_key"
                    + " WHERE identity_id = ? ORDER BY generation DESC LIMIT 1")) {
                select.setLong(1, identityRow);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? new Row(rows.getInt(1), rows.getBytes(2)) : null;
                }
            }
        });
        if (row == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HistoryKey(row.generation(), cipher.open(row.sealed(),
                    context(identityRow, row.generation()))));
        } catch (SealedValueException e) {
            throw new StorageException("the history key of identity " + identityRow + " cannot be opened: "
                    + e.getMessage(), e);
        }
    }

    /** The history key of identity {@code identityRow} of generation {@code generation}, if this device holds it. */
    public Optional<HistoryKey> historyKey(long identityRow, int generation) throws StorageException {
        byte[] sealed = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT key FROM history_key"
                    + " WHERE identity_id = ? AND generation = ?")) {
                select.setLong(1, identityRow);
                select.setInt(2, generation);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getBytes(1) : null;
                }
            }
        });
        if (sealed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HistoryKey(generation, cipher.open(sealed, context(identityRow, generation))));
        } catch (SealedValueException e) {
            throw new StorageException("the history key of identity " + identityRow + " cannot be opened: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] newKey() {
        byte[] key = new byte[LinkCodec.HISTORY_KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String context(long identityRow, int generation) {
        return "history_key.key:" + identityRow + "/" + generation;
    }
}
