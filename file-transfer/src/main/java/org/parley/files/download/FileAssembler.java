package org.parley.files.download;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.store.PieceStore;

/**
 * Puts a download's file into place once every piece is stored: checks the Merkle root over the
 * leaves of all pieces (those verified in an earlier run are read back and sealed again to hash
 * them), then moves the piece store, which already holds the plaintext laid out as the file, to a
 * hidden file beside the target and renames that onto the target in one step. There is no second
 * pass over the data: pieces were decrypted as they were verified. On any failure the hidden file is
 * deleted, so the target is either absent or whole.
 */
final class FileAssembler {

    /** Set once the store was moved away: its pieces are gone, whatever happens next. */
    private boolean storeConsumed;

    /** The hidden file beside {@code target} that becomes it. */
    static Path tempFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".parley-part");
    }

    boolean storeConsumed() {
        return storeConsumed;
    }

    /**
     * Checks the root over every piece's leaf, and that the target is still free; then
     * {@link #place} puts the file there.
     *
     * @param leaves the leaf hash of each piece verified in this run; null for the others, which are
     *     hashed from the store
     * @return the whole tree, whose root is the manifest's
     */
    MerkleTree verify(Manifest manifest, FileKey key, PieceStore store, byte[][] leaves, Path target) throws DownloadException {
        MerkleTree tree = checkRoot(manifest, key, store, leaves);
        if (Files.exists(target)) {
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    target + " appeared while downloading; move it away and resume");
        }
        return tree;
    }

    /** Moves the verified store into place (closing it), through a hidden file beside the target. */
    void place(PieceStore store, Path target) throws DownloadException {
        Path temp = tempFile(target);
        try {
            deleteQuietly(temp);
            store.moveTo(temp); // on failure the pieces stay where they were, for a resume
            storeConsumed = true;
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE,
                    target + " appeared while downloading; move it away and download the file again", e);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.TARGET_UNWRITABLE, "cannot rename into place in " + target.getParent(), e);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new DownloadException(DownloadException.Reason.STORAGE,
                    "cannot write " + target + ": " + e.getMessage() + " (is the disk full?)", e);
        }
    }

    /** @return the whole tree, whose root is the manifest's */
    private static MerkleTree checkRoot(Manifest manifest, FileKey key, PieceStore store, byte[][] leaves) throws DownloadException {
        int count = manifest.chunkCount();
        byte[][] all = new byte[count][];
        byte[] plain = null;
        byte[] sealed = null;
        MessageDigest sha = MerkleTree.sha256();
        try (ChunkCipher cipher = new ChunkCipher(key, manifest.cipher())) {
            for (int i = 0; i < count; i++) {
                if (leaves[i] != null) {
                    all[i] = leaves[i];
                    continue;
                }
                if (plain == null) {
                    plain = new byte[manifest.chunkSize()];
                    sealed = new byte[manifest.chunkSize() + ChunkCipher.TAG_BYTES];
                }
                int length = manifest.plainLength(i);
                try {
                    store.read(i, plain, length);
                } catch (IOException e) {
                    throw new DownloadException(DownloadException.Reason.STORAGE, "cannot read the downloaded pieces back: " + e.getMessage(), e);
                }
                int sealedLength = cipher.sealChunk(i, plain, length, sealed);
                all[i] = MerkleTree.leafHash(sha, sealed, sealedLength);
            }
        }
        MerkleTree tree = MerkleTree.fromLeaves(all);
        if (!MessageDigest.isEqual(tree.root(), manifest.root())) {
            throw new DownloadException(DownloadException.Reason.CORRUPT,
                    "the downloaded pieces do not match the file's root hash; download the file again");
        }
        return tree;
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Best effort: a hidden temporary file left behind is harmless and overwritten next time.
        }
    }
}
