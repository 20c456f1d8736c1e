package org.parley.libp2p.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's persistent Ed25519 identity key: one libp2p {@code PrivateKey} protobuf in a file
 * only its owner can access (POSIX mode 0600). Stateless; callers must not run two creators on the
 * same file at once (one node owns one data directory).
 */
public final class KeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);

    /**
     * A PrivateKey protobuf of an Ed25519 key is 68 bytes (100 in the legacy layout); a larger file
     * is not a key file, so it is refused before being read.
     */
    public static final int MAX_FILE_BYTES = 1024;

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFile() {}

    /**
     * Loads the key in {@code file}, or generates one and stores it there if the file does not
     * exist. A new file is written 0600 from its first byte (to a temporary file in the same
     * directory, then atomically renamed); missing parent directories are created 0700.
     *
     * @throws IOException if the file is accessible to group or others, is not a regular file, is
     *     corrupt, or the file system does not support POSIX permissions
     */
    public static Ed25519PrivateKey loadOrCreate(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        try {
            return load(absolute);
        } catch (NoSuchFileException e) {
            return create(absolute);
        }
    }

    private static Ed25519PrivateKey load(Path file) throws IOException {
        PosixFileAttributes attributes = posixView(file).readAttributes();
        if (!attributes.isRegularFile()) {
            throw new IOException("key file " + file + " is not a regular file");
        }
        Set<PosixFilePermission> tooOpen = EnumSet.copyOf(attributes.permissions());
        tooOpen.retainAll(GROUP_OR_OTHERS);
        if (!tooOpen.isEmpty()) {
            throw new IOException("key file " + file + " has permissions "
                    + PosixFilePermissions.toString(attributes.permissions())
                    + "; it must be readable and writable by its owner only (chmod 600 " + file + ")");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new IOException("key file " + file + " is corrupt: " + attributes.size()
                    + " bytes exceeds the " + MAX_FILE_BYTES + "-byte limit of a key file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            return (Ed25519PrivateKey) Keys.unmarshalPrivate(bytes);
        } catch (InvalidKeyException e) {
            throw new IOException("key file " + file + " is corrupt: " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Ed25519PrivateKey create(Path file) throws IOException {
        Path directory = file.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        posixView(directory);
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] bytes = key.marshal();
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot store key file " + file + ": the file system has no atomic rename", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
        LOG.info("created a new identity key in {} for peer {}", file, PeerId.fromPublicKey(key.publicKey()));
        return key;
    }

    private static PosixFileAttributeView posixView(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("cannot protect key file in " + path + ": the file system has no POSIX permissions");
        }
        return view;
    }

    /** Makes the rename durable; without it a crash can leave the directory without the new entry. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename itself has happened.
            LOG.debug("could not sync directory {}: {}", directory, e.toString());
        }
    }
}
