package org.parley.node.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's storage, opened once at start: the {@link StorageKey} from {@code storage.key}
 * (created at first start, wrapped if a passphrase is given), the {@link NodeDatabase}, and the
 * {@link ColumnCipher} that features seal their secrets and message bodies with. It checks that
 * the key belongs to the database before anything is written. Thread safe; closed by the node.
 */
public final class NodeStorage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeStorage.class);
    /** Sealed into {@code storage_check} when the database is created; only its key opens it. */
    private static final byte[] CHECK_TEXT = "parley storage key check v1".getBytes(StandardCharsets.US_ASCII);
    private static final String CHECK_CONTEXT = "storage_check.sealed:1";

    private final StorageKey key;
    private final ColumnCipher cipher;
    private final NodeDatabase database;

    private NodeStorage(StorageKey key, NodeDatabase database) {
        this.key = key;
        this.cipher = new ColumnCipher(key);
        this.database = database;
    }

    /**
     * Opens the storage key in {@code keyFile} and the database in {@code databaseFile}, creating
     * what does not exist yet.
     *
     * @throws StorageException if either cannot be used, with what to do; neither file is changed
     */
    public static NodeStorage open(Path keyFile, Path databaseFile, PassphraseSource passphrases)
            throws StorageException {
        return open(keyFile, databaseFile, passphrases, new StorageKeyFile());
    }

    static NodeStorage open(Path keyFile, Path databaseFile, PassphraseSource passphrases, StorageKeyFile keyFiles)
            throws StorageException {
        StorageKey key = loadOrCreateKey(keyFile, databaseFile, passphrases, keyFiles);
        NodeDatabase database = null;
        try {
            database = NodeDatabase.open(databaseFile);
            checkKeyBelongs(database, new ColumnCipher(key), keyFile);
            return new NodeStorage(key, database);
        } catch (StorageException | RuntimeException e) {
            if (database != null) {
                try {
                    database.close();
                } catch (StorageException closing) {
                    e.addSuppressed(closing);
                }
            }
            key.close();
            throw e;
        }
    }

    public NodeDatabase database() {
        return database;
    }

    /** Seals and opens column values with the storage key. */
    public ColumnCipher cipher() {
        return cipher;
    }

    /** A key-value store for one feature's {@code namespace}, its values sealed. */
    public KeyValueStore keyValueStore(String namespace) {
        return new SqliteKeyValueStore(database, cipher, namespace);
    }

    /** Closes the database, then zeroes the key. */
    @Override
    public void close() throws StorageException {
        try {
            database.close();
        } finally {
            key.close();
        }
    }

    private static StorageKey loadOrCreateKey(Path keyFile, Path databaseFile, PassphraseSource passphrases,
            StorageKeyFile keyFiles) throws StorageException {
        if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            return keyFiles.load(keyFile, passphrases);
        }
        if (hasContent(databaseFile)) {
            throw new StorageException(keyFile + " is missing, but " + databaseFile + " exists and its encrypted"
                    + " values need that key: restore storage.key from a backup. Only if you give up what parley.db"
                    + " holds, move parley.db aside and start again");
        }
        StorageKey key = StorageKey.generate();
        Optional<Passphrase> given = passphrases.given();
        try {
            keyFiles.create(keyFile, key, given.orElse(null));
        } catch (IOException e) {
            key.close();
            throw e instanceof StorageException storage ? storage
                    : new StorageException("cannot create " + keyFile + ": " + e.getMessage(), e);
        } finally {
            given.ifPresent(Passphrase::close);
        }
        log.info("created a new storage key in {}{}", keyFile,
                given.isPresent() ? ", protected by the passphrase given" : " (0600, no passphrase)");
        return key;
    }

    private static boolean hasContent(Path file) throws StorageException {
        try {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) > 0;
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkKeyBelongs(NodeDatabase database, ColumnCipher cipher, Path keyFile)
            throws StorageException {
        Optional<byte[]> sealed = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT sealed FROM storage_check WHERE id = 1");
                    ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getBytes(1)) : Optional.<byte[]>empty();
            }
        });
        if (sealed.isEmpty()) {
            byte[] check = cipher.seal(CHECK_TEXT, CHECK_CONTEXT);
            database.transaction(connection -> {
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO storage_check (id, sealed) VALUES (1, ?)")) {
                    insert.setBytes(1, check);
                    return insert.executeUpdate();
                }
            });
            return;
        }
        try {
            byte[] opened = cipher.open(sealed.get(), CHECK_CONTEXT);
            if (!Arrays.equals(opened, CHECK_TEXT)) {
                throw new SealedValueException("the check value differs");
            }
        } catch (SealedValueException e) {
            throw new StorageException(keyFile + " is not the key of " + database.file() + ": put back the storage.key"
                    + " that was used with this database (both files are left unchanged)", e);
        }
    }
}
