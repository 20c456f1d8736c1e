package org.parley.node;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The layout of a node's data directory (default {@code ~/.parley}): every file the node or the
 * CLI reads or writes there is named here, so the layout is documented in one place. Immutable.
 *
 * <pre>
 * node.key          the node's Ed25519 key (0600)
 * config.json       optional settings; command-line options override them
 * api.json          port and token of the running node's API (0600); removed at shutdown
 * node.lock         held by the running node, so two nodes never share one data dir
 * parley.db         the node's SQLite database (+ -wal, -shm), owner-only
 * storage.key       the key that encrypts secrets and message bodies in parley.db (0600),
 *                   optionally wrapped by a passphrase
 * dht/              the DHT's saved routing table
 * logs/parley.log   the rolling log
 * </pre>
 */
public record DataDir(Path root) {

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code ~/.parley}. */
    public static DataDir defaultLocation() {
        return new DataDir(Path.of(System.getProperty("user.home"), ".parley"));
    }

    public Path keyFile() {
        return root.resolve("node.key");
    }

    public Path configFile() {
        return root.resolve("config.json");
    }

    public Path apiFile() {
        return root.resolve("api.json");
    }

    public Path lockFile() {
        return root.resolve("node.lock");
    }

    public Path databaseFile() {
        return root.resolve("parley.db");
    }

    public Path storageKeyFile() {
        return root.resolve("storage.key");
    }

    public Path dhtDir() {
        return root.resolve("dht");
    }

    public Path logDir() {
        return root.resolve("logs");
    }

    /**
     * Creates the directory (owner-only where the file system has POSIX permissions) and its
     * {@code logs/} and {@code dht/} subdirectories.
     */
    public void create() throws IOException {
        createPrivateDirectory(root);
        createPrivateDirectory(logDir());
        createPrivateDirectory(dhtDir());
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("data dir path " + e.getFile() + " exists but is not a directory", e);
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.getRoot() : p;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
