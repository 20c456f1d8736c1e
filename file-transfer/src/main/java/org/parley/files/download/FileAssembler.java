package org.parley.files.download;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.store.PieceStore;

/**
 * Turns a download's stored pieces into the file: reads each sealed piece, hashes it into the
 * Merkle tree, decrypts it into a hidden file beside the target, checks the root, syncs, and renames
 * the hidden file onto the target in one step. Streams one chunk at a time. On any failure the
 * hidden file is deleted, so the target is either absent or whole.
 */
final class FileAssembler {

    private FileAssembler() {}

    /** The hidden file beside {@code target} that becomes it. */
    static Path tempFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".parley-part");
    }

    static void assemble(Manifest manifest, FileKey key, PieceStore store, Path target) throws DownloadException {
        Path temp = tempFile(target);
        int count = manifest.chunkCount();
        byte[][] leaves = new byte[count][];
        byte[] sealed = new byte[manifest.chunkSize() + ChunkCipher.TAG_BYTES];
        byte[] plain = new byte[manifest.chunkSize()];
        MessageDigest sha = MerkleTree.sha256();
        boolean done = false;
        try (ChunkCipher cipher = new ChunkCipher(key);
             OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                int length = manifest.plainLength(i) + ChunkCipher.TAG_BYTES;
                try {
                    store.read(i, sealed, length);
                } catch (IOException e) {
                    throw new DownloadException(DownloadException.Reason.STORAGE, "cannot read the downloaded pieces back: " + e.getMessage(), e);
                }
                leaves[i] = MerkleTree.leafHash(sha, sealed, length);
                int plainLength;
                try {
                    plainLength = cipher.openChunk(i, sealed, length, plain);
                } catch (AEADBadTagException e) {
                    throw new DownloadException(DownloadException.Reason.CORRUPT,
                            "piece " + i + " of the partial download was damaged on disk; download the file again", e);
                }
                out.write(plain, 0, plainLength);
            }
            if (!MessageDigest.isEqual(MerkleTree.fromLeaves(leaves).root(), manifest.root())) {
                throw new DownloadException(DownloadException.Reason.CORRUPT,
                        "the downloaded pieces do not match the file's root hash; download the file again");
            }
            out.flush();
            done = true;
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Reason.STORAGE,
                    "cannot write " + target + ": " + e.getMessage() + " (is the disk full?)", e);
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
        try {
            try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    target + " appeared while downloading; move it away and resume", e);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE, "cannot rename into place in " + target.getParent(), e);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.STORAGE, "cannot move the file into place at " + target + ": " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Best effort: a hidden temporary file left behind is harmless and overwritten next time.
        }
    }
}
