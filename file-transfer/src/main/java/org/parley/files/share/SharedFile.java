package org.parley.files.share;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.Manifest;
import org.parley.files.merkle.MerkleTree;
import org.parley.files.protocol.PieceSource;
import org.parley.files.store.PositionalIo;

/**
 * A file shared from where it lies: pieces are read from the original and encrypted on the fly,
 * never copied into the data dir. Encrypting on the fly rather than caching ciphertext costs one
 * cipher pass per piece served (about 3 GB per CPU second with AES-256-GCM, faster than the network)
 * and saves a second copy of every shared file on disk.
 *
 * <p>A seeder should not send pieces its peers reject (two, and they drop it). Hashing every piece
 * again before it is sent made sure of that but cost as much CPU as the cipher and the transport
 * together (SHA-256 runs at about 1.5 GB per CPU second here). So the file's size and modification
 * time, taken before it was hashed, are compared before each piece (one stat): while they are
 * unchanged the piece is sent as read; once they differ every piece is hashed again and refused if
 * it no longer matches the tree. A change that keeps both (a write within the file system's
 * timestamp granularity of the hashing, or a tool that restores the time) goes unnoticed here, and
 * the downloaders' Merkle check catches it. Thread safe; holds the Merkle tree (64 bytes a piece).
 */
public final class SharedFile implements PieceSource {

    private final Path path;
    private final FileKey key;
    private final Manifest manifest;
    private final byte[] manifestBytes;
    private final FileId fileId;
    private final MerkleTree tree;
    /** The file's size and modification time when its content was hashed (or verified by a download). */
    private final FileStamp hashedStamp;

    SharedFile(Path path, FileKey key, Manifest manifest, MerkleTree tree, FileStamp hashedStamp) {
        this.path = path;
        this.hashedStamp = hashedStamp;
        this.key = key;
        this.manifest = manifest;
        this.manifestBytes = manifest.encode();
        this.fileId = FileId.ofManifest(manifestBytes);
        this.tree = tree;
    }

    public Path path() {
        return path;
    }

    public FileKey key() {
        return key;
    }

    public Manifest manifest() {
        return manifest;
    }

    @Override
    public FileId fileId() {
        return fileId;
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    @Override
    public BitSet pieces() {
        BitSet all = new BitSet(manifest.chunkCount());
        all.set(0, manifest.chunkCount());
        return all;
    }

    @Override
    public Reader openReader() throws IOException {
        return new SharedFileReader(FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * One stream's reader: its own channel position-free reads, cipher and buffers. A full piece's
     * data lives in the reader's buffer until its next read.
     */
    private final class SharedFileReader implements Reader {

        private final FileChannel channel;
        private final ChunkCipher cipher = new ChunkCipher(key, manifest.cipher());
        private final MessageDigest sha = MerkleTree.sha256();
        private final byte[] plain = new byte[manifest.chunkSize()];
        /** Every full piece is sealed into this one array: a fresh 256 KiB array a piece cost zeroing and collection. */
        private final byte[] sealedFull = new byte[manifest.chunkSize() + ChunkCipher.TAG_BYTES];

        SharedFileReader(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public SealedPiece read(int index) throws IOException {
            int length = manifest.plainLength(index);
            if (!PositionalIo.readFully(channel, plain, length, (long) index * manifest.chunkSize())) {
                throw new IOException(path + " is shorter than when it was shared");
            }
            // The last piece is shorter, and a piece's array is as long as its data.
            byte[] sealed = length + ChunkCipher.TAG_BYTES == sealedFull.length ? sealedFull
                    : new byte[length + ChunkCipher.TAG_BYTES];
            cipher.sealChunk(index, plain, length, sealed);
            if (!hashedStamp.equals(FileStamp.of(path))
                    && !MessageDigest.isEqual(MerkleTree.leafHash(sha, sealed, sealed.length), tree.leaf(index))) {
                throw new IOException(path + " changed since it was shared (piece " + index + " differs)");
            }
            return new SealedPiece(sealed, tree.proof(index));
        }

        @Override
        public void close() {
            cipher.close();
            try {
                channel.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing is lost if closing fails.
            }
        }
    }
}
