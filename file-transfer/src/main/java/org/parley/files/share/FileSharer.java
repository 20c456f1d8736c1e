package org.parley.files.share;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.ChunkSizes;
import org.parley.files.manifest.FileNames;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;

/**
 * Turns a file on disk into a {@link SharedFile}: picks the chunk size, encrypts every chunk with a
 * fresh key, hashes the ciphertext into the Merkle tree and builds the manifest. One pass over the
 * file with one chunk buffer, so memory does not grow with the file. Thread safe.
 */
public final class FileSharer {

    private final Clock clock;

    public FileSharer(Clock clock) {
        this.clock = clock;
    }

    /**
     * Shares {@code path} under its own name.
     *
     * @throws ShareException if the file is missing, not a regular file, empty, too large or unreadable
     */
    public SharedFile share(Path path) throws ShareException {
        return share(path, FileKey.generate());
    }

    /**
     * Serves a file whose manifest already exists (a finished download, or a share after a restart)
     * under the same file id: re-reads and re-encrypts it and checks that it still has the
     * manifest's size and Merkle root.
     *
     * @throws ShareException if the file is unreadable or no longer the one the manifest describes
     */
    public SharedFile reopen(Path path, FileKey key, Manifest manifest) throws ShareException {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new ShareException("cannot share " + path + " again: " + e.getMessage());
        }
        if (size != manifest.size()) {
            throw new ShareException("cannot share " + path + " again: it has " + size + " bytes, the shared file had "
                    + manifest.size() + "; share it anew");
        }
        FileStamp stamp = stamp(path);
        MerkleTree tree = hashChunks(path, key, manifest.cipher(), size, manifest.chunkSize());
        if (!MessageDigest.isEqual(tree.root(), manifest.root())) {
            throw new ShareException("cannot share " + path + " again: its content changed since it was shared; share it anew");
        }
        return new SharedFile(path, key, manifest, tree, stamp);
    }

    /**
     * Shares {@code path} with a given key (the same key and file give the same pieces), its chunks
     * sealed with the cipher faster on this CPU ({@link ChunkCipherSuite#fastest()}).
     */
    public SharedFile share(Path path, FileKey key) throws ShareException {
        return share(path, key, ChunkCipherSuite.fastest());
    }

    /**
     * Serves a file this node has just downloaded and verified: {@code tree} is the tree the
     * download checked against the manifest's root, so the file is not read again (a reopen would
     * seal and hash every chunk once more).
     *
     * @throws ShareException if the tree or the file's size does not match the manifest
     */
    public SharedFile adopt(Path path, FileKey key, Manifest manifest, MerkleTree tree) throws ShareException {
        if (!MessageDigest.isEqual(tree.root(), manifest.root()) || tree.leafCount() != manifest.chunkCount()) {
            throw new ShareException("cannot share " + path + ": its verified tree is not the manifest's");
        }
        FileStamp stamp = stamp(path);
        if (stamp.size() != manifest.size()) {
            throw new ShareException("cannot share " + path + ": it has " + stamp.size() + " bytes, the manifest says " + manifest.size());
        }
        return new SharedFile(path, key, manifest, tree, stamp);
    }

    /** Shares {@code path} with a given key and chunk cipher. */
    public SharedFile share(Path path, FileKey key, ChunkCipherSuite cipherSuite) throws ShareException {
        Path fileName = path.getFileName();
        String name = fileName == null ? "" : fileName.toString();
        String problem = FileNames.problem(name);
        if (problem != null) {
            throw new ShareException("cannot share " + path + ": " + problem);
        }
        long size;
        try {
            if (!Files.isRegularFile(path)) {
                throw new ShareException(Files.exists(path)
                        ? "cannot share " + path + ": it is not a regular file"
                        : "cannot share " + path + ": there is no such file");
            }
            size = Files.size(path);
        } catch (IOException e) {
            throw new ShareException("cannot share " + path + ": " + e.getMessage());
        }
        if (size == 0) {
            throw new ShareException("cannot share " + path + ": it is empty");
        }
        if (size > ChunkSizes.MAX_FILE_SIZE) {
            throw new ShareException("cannot share " + path + ": it has " + size + " bytes, more than the "
                    + ChunkSizes.MAX_FILE_SIZE + " one link can carry");
        }
        int chunkSize = ChunkSizes.forFileSize(size);
        FileStamp stamp = stamp(path);
        MerkleTree tree = hashChunks(path, key, cipherSuite, size, chunkSize);
        byte[] sealedName;
        try (ChunkCipher cipher = new ChunkCipher(key, cipherSuite)) {
            sealedName = cipher.sealName(name.getBytes(StandardCharsets.UTF_8));
        }
        Manifest manifest = new Manifest(cipherSuite, sealedName, size, chunkSize, tree.root(), clock.instant());
        return new SharedFile(path, key, manifest, tree, stamp);
    }

    /** The stamp taken before hashing: a change during the hashing then differs from it. */
    private static FileStamp stamp(Path path) throws ShareException {
        try {
            return FileStamp.of(path);
        } catch (NoSuchFileException e) {
            throw new ShareException("cannot share " + path + ": there is no such file");
        } catch (IOException e) {
            throw new ShareException("cannot share " + path + ": " + e.getMessage());
        }
    }

    /** One pass over the file: encrypt each chunk, hash the ciphertext, build the tree. One chunk buffer. */
    private static MerkleTree hashChunks(Path path, FileKey key, ChunkCipherSuite cipherSuite, long size, int chunkSize) throws ShareException {
        int count = ChunkSizes.chunkCount(size, chunkSize);
        byte[][] leaves = new byte[count][];
        byte[] plain = new byte[chunkSize];
        byte[] sealed = new byte[chunkSize + ChunkCipher.TAG_BYTES];
        MessageDigest sha = MerkleTree.sha256();
        try (ChunkCipher cipher = new ChunkCipher(key, cipherSuite); InputStream in = Files.newInputStream(path)) {
            for (int i = 0; i < count; i++) {
                int length = ChunkSizes.plainLength(size, chunkSize, i);
                if (in.readNBytes(plain, 0, length) != length) {
                    throw new ShareException("cannot share " + path + ": it shrank while being read");
                }
                int sealedLength = cipher.sealChunk(i, plain, length, sealed);
                leaves[i] = MerkleTree.leafHash(sha, sealed, sealedLength);
            }
            return MerkleTree.fromLeaves(leaves);
        } catch (NoSuchFileException e) {
            throw new ShareException("cannot share " + path + ": there is no such file");
        } catch (IOException e) {
            throw new ShareException("cannot share " + path + ": " + e.getMessage());
        }
    }
}
