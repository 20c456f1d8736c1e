package org.parley.node.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link KeyValueStore} on the node database's {@code kv} table, one namespace per instance;
 * every value sealed by {@link ColumnCipher} under the context
 * {@code kv.value:<namespace>/<key>}, so no value is readable in the file and none opens under
 * another key. Thread safe.
 */
public final class SqliteKeyValueStore implements KeyValueStore {

    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final String namespace;

    /**
     * @param namespace the feature's name, e.g. {@code "settings"}; keys of different namespaces never meet
     */
    public SqliteKeyValueStore(NodeDatabase database, ColumnCipher cipher, String namespace) {
        if (namespace.isEmpty() || namespace.length() > MAX_KEY_CHARS || namespace.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a namespace is 1.." + MAX_KEY_CHARS + " characters without '/': '"
                    + namespace + "'");
        }
        this.database = database;
        this.cipher = cipher;
        this.namespace = namespace;
    }

    @Override
    public Optional<byte[]> get(String key) throws StorageException {
        checkKey(key);
        Optional<byte[]> sealed = database.read(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT value FROM kv WHERE namespace = ? AND key = ?")) {
                select.setString(1, namespace);
                select.setString(2, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(cipher.open(sealed.get(), context(key)));
        } catch (SealedValueException e) {
            throw new StorageException("the stored value of " + namespace + "/" + key + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] value) throws StorageException {
        checkKey(key);
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("a value of " + value.length + " bytes for " + namespace + "/" + key
                    + " exceeds the " + MAX_VALUE_BYTES + "-byte limit of the key-value store");
        }
        byte[] sealed = cipher.seal(value, context(key));
        database.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO kv (namespace, key, value)"
                    + " VALUES (?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value")) {
                upsert.setString(1, namespace);
                upsert.setString(2, key);
                upsert.setBytes(3, sealed);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(String key) throws StorageException {
        checkKey(key);
        return database.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM kv WHERE namespace = ? AND key = ?")) {
                delete.setString(1, namespace);
                delete.setString(2, key);
                return delete.executeUpdate() > 0;
            }
        });
    }

    private String context(String key) {
        return "kv.value:" + namespace + "/" + key;
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a key is 1.." + MAX_KEY_CHARS + " characters, got " + key.length());
        }
    }
}
