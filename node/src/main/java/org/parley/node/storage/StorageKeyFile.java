package org.parley.node.storage;

import com.goterl.lazysodium.interfaces.AEAD;
import com.goterl.lazysodium.interfaces.PwHash;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.parley.libp2p.crypto.Sodium;

/**
 * Reads and writes {@code storage.key}: the {@link StorageKey}, plain (the file is 0600) or
 * wrapped by a passphrase through Argon2id and XChaCha20-Poly1305. Stateless; one node owns
 * one data dir, so there is one writer.
 *
 * <pre>
 * offset size
 *  0      8   magic "PARLEYSK"
 *  8      1   format version, 1
 *  9      1   kind: 0 plain, 1 wrapped
 * plain (42 bytes in all):
 * 10     32   the key
 * wrapped (114 bytes in all):
 * 10     16   Argon2id salt
 * 26      8   opslimit, big-endian
 * 34      8   memlimit in bytes, big-endian
 * 42     24   XChaCha20-Poly1305 nonce
 * 66     48   the key sealed (32 + 16-byte tag), with bytes 0..65 as associated data,
 *             so the limits and salt cannot be changed unnoticed
 * </pre>
 *
 * <p>A file it cannot open is never replaced or moved aside: every encrypted value in
 * {@code parley.db} depends on it. The node stops with a message instead.
 */
public final class StorageKeyFile {

    /** Names the file in its first bytes, so no other file is mistaken for a key. */
    static final byte[] MAGIC = "PARLEYSK".getBytes(StandardCharsets.US_ASCII);
    /** The only format version this code writes and reads. */
    static final int VERSION = 1;
    static final int KIND_PLAIN = 0;
    static final int KIND_WRAPPED = 1;
    private static final int HEADER_BYTES = MAGIC.length + 2;
    static final int SALT_BYTES = PwHash.ARGON2ID_SALTBYTES;
    static final int NONCE_BYTES = AEAD.XCHACHA20POLY1305_IETF_NPUBBYTES;
    static final int TAG_BYTES = AEAD.XCHACHA20POLY1305_IETF_ABYTES;
    private static final int WRAPPED_AAD_BYTES = HEADER_BYTES + SALT_BYTES + 8 + 8 + NONCE_BYTES;
    static final int PLAIN_FILE_BYTES = HEADER_BYTES + StorageKey.LENGTH;
    static final int WRAPPED_FILE_BYTES = WRAPPED_AAD_BYTES + StorageKey.LENGTH + TAG_BYTES;
    /** Larger than either layout; a bigger file is not a key and is refused before it is read. */
    static final int MAX_FILE_BYTES = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final KdfLimits newKeyLimits;

    /** Wraps new keys with {@link KdfLimits#MODERATE}. */
    public StorageKeyFile() {
        this(KdfLimits.MODERATE);
    }

    /** Wraps new keys with {@code newKeyLimits}; tests use {@link KdfLimits#MIN}. */
    StorageKeyFile(KdfLimits newKeyLimits) {
        this.newKeyLimits = newKeyLimits;
    }

    /**
     * Reads the key in {@code file}, asking {@code passphrases} if it is wrapped.
     *
     * @throws StorageException if the file is unreadable, too open, corrupt, from a newer Parley, or
     *     the passphrase does not open it; the file is left as it is
     */
    public StorageKey load(Path file, PassphraseSource passphrases) throws StorageException {
        byte[] content = readChecked(file);
        try {
            if (content.length < HEADER_BYTES || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw corrupt(file, "it does not start with the storage key marker");
            }
            int version = content[MAGIC.length] & 0xff;
            if (version != VERSION) {
                throw new StorageException(file + " has format version " + version + "; this Parley reads version "
                        + VERSION + ". It was written by a newer Parley: run that one (the file is left unchanged)");
            }
            int kind = content[MAGIC.length + 1] & 0xff;
            return switch (kind) {
                case KIND_PLAIN -> openPlain(file, content, passphrases);
                case KIND_WRAPPED -> openWrapped(file, content, passphrases);
                default -> throw corrupt(file, "unknown key kind " + kind);
            };
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Writes {@code key} to {@code file} (which must not exist yet), wrapped if {@code passphrase}
     * is not null: 0600 from its first byte, through a temporary file renamed into place.
     */
    public void create(Path file, StorageKey key, Passphrase passphrase) throws IOException {
        byte[] content = passphrase == null ? plainContent(key) : wrappedContent(key, passphrase);
        try {
            writeAtomically(file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static StorageKey openPlain(Path file, byte[] content, PassphraseSource passphrases)
            throws StorageException {
        if (content.length != PLAIN_FILE_BYTES) {
            throw corrupt(file, content.length + " bytes where a plain key file has " + PLAIN_FILE_BYTES);
        }
        if (passphrases.given().map(given -> {
            given.close();
            return true;
        }).orElse(false)) {
            throw new StorageException(file + " is not protected by a passphrase, but one was given: start without"
                    + " --passphrase-file (a passphrase is set only when the key is first created)");
        }
        return new StorageKey(Arrays.copyOfRange(content, HEADER_BYTES, PLAIN_FILE_BYTES));
    }

    private static StorageKey openWrapped(Path file, byte[] content, PassphraseSource passphrases)
            throws StorageException {
        if (content.length != WRAPPED_FILE_BYTES) {
            throw corrupt(file, content.length + " bytes where a passphrase-protected key file has "
                    + WRAPPED_FILE_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(content, HEADER_BYTES, content.length - HEADER_BYTES);
        byte[] salt = new byte[SALT_BYTES];
        in.get(salt);
        KdfLimits limits = new KdfLimits(in.getLong(), in.getLong());
        if (!limits.acceptable()) {
            throw corrupt(file, "its Argon2id limits (" + limits.opsLimit() + " passes, " + limits.memLimit()
                    + " bytes) are outside what Parley writes");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] sealed = new byte[StorageKey.LENGTH + TAG_BYTES];
        in.get(sealed);
        byte[] wrappingKey;
        try (Passphrase passphrase = passphrases.required()) {
            wrappingKey = deriveKey(passphrase, salt, limits);
        }
        byte[] key = new byte[StorageKey.LENGTH];
        try {
            boolean opened = Sodium.get().cryptoAeadXChaCha20Poly1305IetfDecrypt(key, null, null, sealed,
                    sealed.length, content, WRAPPED_AAD_BYTES, nonce, wrappingKey);
            if (!opened) {
                Arrays.fill(key, (byte) 0);
                throw new StorageException("the passphrase does not open " + file.getFileName() + ": give the right"
                        + " one (typed, or in the file named by --passphrase-file); " + file + " is left unchanged");
            }
            return new StorageKey(key);
        } finally {
            Arrays.fill(wrappingKey, (byte) 0);
        }
    }

    private byte[] wrappedContent(StorageKey key, Passphrase passphrase) throws StorageException {
        if (passphrase.isEmpty()) {
            throw new StorageException("the passphrase for storage.key is empty: give a non-empty one");
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        ByteBuffer out = ByteBuffer.allocate(WRAPPED_FILE_BYTES);
        out.put(MAGIC).put((byte) VERSION).put((byte) KIND_WRAPPED).put(salt)
                .putLong(newKeyLimits.opsLimit()).putLong(newKeyLimits.memLimit()).put(nonce);
        byte[] content = out.array();
        byte[] wrappingKey = deriveKey(passphrase, salt, newKeyLimits);
        try {
            byte[] sealed = new byte[StorageKey.LENGTH + TAG_BYTES];
            if (!Sodium.get().cryptoAeadXChaCha20Poly1305IetfEncrypt(sealed, null, key.bytes(), StorageKey.LENGTH,
                    content, WRAPPED_AAD_BYTES, null, nonce, wrappingKey)) {
                throw new IllegalStateException("XChaCha20-Poly1305 refused to seal the storage key");
            }
            System.arraycopy(sealed, 0, content, WRAPPED_AAD_BYTES, sealed.length);
            return content;
        } finally {
            Arrays.fill(wrappingKey, (byte) 0);
        }
    }

    private static byte[] plainContent(StorageKey key) {
        return ByteBuffer.allocate(PLAIN_FILE_BYTES)
                .put(MAGIC).put((byte) VERSION).put((byte) KIND_PLAIN).put(key.bytes()).array();
    }

    private static byte[] deriveKey(Passphrase passphrase, byte[] salt, KdfLimits limits) throws StorageException {
        byte[] derived = new byte[StorageKey.LENGTH];
        byte[] password = passphrase.bytes();
        boolean ok = Sodium.get().cryptoPwHash(derived, derived.length, password, password.length, salt,
                limits.opsLimit(), new NativeLong(limits.memLimit()), PwHash.Alg.PWHASH_ALG_ARGON2ID13);
        if (!ok) {
            throw new StorageException("deriving the key from the passphrase failed: Argon2id needs "
                    + limits.memLimit() / (1024 * 1024) + " MiB of memory; free some and start again");
        }
        return derived;
    }

    private static byte[] readChecked(Path file) throws StorageException {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            long size;
            if (view != null) {
                PosixFileAttributes attributes = view.readAttributes();
                if (!attributes.isRegularFile()) {
                    throw new StorageException(file + " is not a regular file: restore storage.key from a backup");
                }
                Set<PosixFilePermission> tooOpen = EnumSet.copyOf(attributes.permissions());
                tooOpen.retainAll(GROUP_OR_OTHERS);
                if (!tooOpen.isEmpty()) {
                    throw new StorageException(file + " has permissions "
                            + PosixFilePermissions.toString(attributes.permissions())
                            + "; it must be readable and writable by its owner only (chmod 600 " + file + ")");
                }
                size = attributes.size();
            } else {
                size = Files.size(file);
            }
            if (size > MAX_FILE_BYTES) {
                throw corrupt(file, size + " bytes, more than the " + MAX_FILE_BYTES + " a key file may have");
            }
            return Files.readAllBytes(file);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage()
                    + "; fix its ownership or permissions (it must stay: parley.db cannot be read without it)", e);
        }
    }

    private static StorageException corrupt(Path file, String why) {
        return new StorageException(file + " is not a valid storage key (" + why + "). It is left unchanged:"
                + " restore it from a backup. Without it the encrypted values in parley.db cannot be read; only if"
                + " you give those up, move both storage.key and parley.db aside and start again");
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        Path temporary = posix
                ? Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                : Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // rename(2) would replace an existing key silently; a key is never overwritten.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException(file + " already exists; it is left unchanged");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot store " + file + ": the file system has no atomic rename", e);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is then as durable as they make it.
        }
    }
}
