package org.parley.node.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;

/**
 * The shares and unfinished downloads of the node in its database (tables {@code file_shares} and
 * {@code file_downloads}, schema step 3), so both survive a restart. Paths, keys and links are
 * sealed with the storage key; only file ids, manifests (public, their names sealed) and states are
 * in the clear. Thread safe.
 */
final class FilesStore {

    /** A share as stored: the file, its key and its manifest's bytes. */
    record StoredShare(String fileId, Path path, byte[] key, byte[] manifest) {}

    /** A download as stored: its link (with the key), the directory the file goes to, its state. */
    record StoredDownload(String fileId, String link, Path outDir, String state) {}

    private final NodeDatabase database;
    private final ColumnCipher cipher;

    FilesStore(NodeDatabase database, ColumnCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    void putShare(String fileId, Path path, byte[] key, byte[] manifest) throws StorageException {
        byte[] sealedPath = cipher.seal(utf8(path.toString()), "file_shares.path:" + fileId);
        byte[] sealedKey = cipher.seal(key, "file_shares.file_key:" + fileId);
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO file_shares"
                    + " (file_id, sealed_path, sealed_key, manifest, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, fileId);
                insert.setBytes(2, sealedPath);
                insert.setBytes(3, sealedKey);
                insert.setBytes(4, manifest);
                insert.setString(5, Instant.now().toString());
                return insert.executeUpdate();
            }
        });
    }

    boolean deleteShare(String fileId) throws StorageException {
        return delete("DELETE FROM file_shares WHERE file_id = ?", fileId);
    }

    List<StoredShare> shares() throws StorageException {
        List<Object[]> rows = database.read(connection -> {
            List<Object[]> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT file_id, sealed_path, sealed_key, manifest FROM file_shares ORDER BY created_at");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    all.add(new Object[] {row.getString(1), row.getBytes(2), row.getBytes(3), row.getBytes(4)});
                }
            }
            return all;
        });
        List<StoredShare> shares = new ArrayList<>();
        for (Object[] row : rows) {
            String fileId = (String) row[0];
            Path path = Path.of(text(open((byte[]) row[1], "file_shares.path:" + fileId)));
            byte[] key = open((byte[]) row[2], "file_shares.file_key:" + fileId);
            shares.add(new StoredShare(fileId, path, key, (byte[]) row[3]));
        }
        return shares;
    }

    void putDownload(String fileId, String link, Path outDir, String state) throws StorageException {
        byte[] sealedLink = cipher.seal(utf8(link), "file_downloads.link:" + fileId);
        byte[] sealedDir = cipher.seal(utf8(outDir.toString()), "file_downloads.out_dir:" + fileId);
        database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO file_downloads"
                    + " (file_id, sealed_link, sealed_out_dir, state, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, fileId);
                insert.setBytes(2, sealedLink);
                insert.setBytes(3, sealedDir);
                insert.setString(4, state);
                insert.setString(5, Instant.now().toString());
                return insert.executeUpdate();
            }
        });
    }

    void setDownloadState(String fileId, String state) throws StorageException {
        database.transaction(connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE file_downloads SET state = ? WHERE file_id = ?")) {
                update.setString(1, state);
                update.setString(2, fileId);
                return update.executeUpdate();
            }
        });
    }

    boolean deleteDownload(String fileId) throws StorageException {
        return delete("DELETE FROM file_downloads WHERE file_id = ?", fileId);
    }

    List<StoredDownload> downloads() throws StorageException {
        List<Object[]> rows = database.read(connection -> {
            List<Object[]> all = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT file_id, sealed_link, sealed_out_dir, state FROM file_downloads ORDER BY created_at");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    all.add(new Object[] {row.getString(1), row.getBytes(2), row.getBytes(3), row.getString(4)});
                }
            }
            return all;
        });
        List<StoredDownload> downloads = new ArrayList<>();
        for (Object[] row : rows) {
            String fileId = (String) row[0];
            String link = text(open((byte[]) row[1], "file_downloads.link:" + fileId));
            Path outDir = Path.of(text(open((byte[]) row[2], "file_downloads.out_dir:" + fileId)));
            downloads.add(new StoredDownload(fileId, link, outDir, (String) row[3]));
        }
        return downloads;
    }

    private boolean delete(String sql, String fileId) throws StorageException {
        return database.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, fileId);
                return delete.executeUpdate();
            }
        }) > 0;
    }

    private byte[] open(byte[] sealed, String context) throws StorageException {
        try {
            return cipher.open(sealed, context);
        } catch (SealedValueException e) {
            throw new StorageException("a stored file share or download cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
