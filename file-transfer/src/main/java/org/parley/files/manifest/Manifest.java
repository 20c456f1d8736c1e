package org.parley.files.manifest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.parley.files.crypto.ChunkCipherSuite;

/**
 * What a shared file is: format version, the cipher its chunks are sealed with, sealed name, size,
 * chunk size, the Merkle root of its ciphertext chunks and when it was shared. The name is sealed with the file key, so a peer that
 * knows only the file id (from the DHT) learns the size but not the name. Immutable; the arrays are
 * copied in and out.
 */
public final class Manifest {

    /** Format 1: chunks sealed with ChaCha20-Poly1305, no cipher field (every file shared before format 2). */
    public static final int VERSION_CHACHA20_POLY1305 = 1;
    /** Format 2: a cipher field names the chunk cipher; used for every suite but ChaCha20-Poly1305. */
    public static final int VERSION_WITH_CIPHER = 2;

    private final ChunkCipherSuite cipher;

    private final byte[] sealedName;
    private final long size;
    private final int chunkSize;
    private final byte[] root;
    private final Instant created;

    /** A manifest of chunks sealed with ChaCha20-Poly1305 (format 1). */
    public Manifest(byte[] sealedName, long size, int chunkSize, byte[] root, Instant created) {
        this(ChunkCipherSuite.CHACHA20_POLY1305, sealedName, size, chunkSize, root, created);
    }

    public Manifest(ChunkCipherSuite cipher, byte[] sealedName, long size, int chunkSize, byte[] root, Instant created) {
        this.cipher = Objects.requireNonNull(cipher);
        this.sealedName = sealedName.clone();
        this.size = size;
        this.chunkSize = chunkSize;
        this.root = root.clone();
        this.created = Objects.requireNonNull(created).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ManifestCodec.checkFields(this.sealedName.length, size, chunkSize, this.root.length);
    }

    /** The cipher of the chunks and the name. */
    public ChunkCipherSuite cipher() {
        return cipher;
    }

    /** The format {@link #encode()} writes: 1 for ChaCha20-Poly1305, so those file ids never change. */
    public int version() {
        return cipher == ChunkCipherSuite.CHACHA20_POLY1305 ? VERSION_CHACHA20_POLY1305 : VERSION_WITH_CIPHER;
    }

    public byte[] sealedName() {
        return sealedName.clone();
    }

    public long size() {
        return size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public byte[] root() {
        return root.clone();
    }

    public Instant created() {
        return created;
    }

    public int chunkCount() {
        return ChunkSizes.chunkCount(size, chunkSize);
    }

    /** The plaintext length of chunk {@code index}. */
    public int plainLength(int index) {
        return ChunkSizes.plainLength(size, chunkSize, index);
    }

    /** The encoded manifest, whose hash is the {@link #fileId()}. */
    public byte[] encode() {
        return ManifestCodec.encode(this);
    }

    public FileId fileId() {
        return FileId.ofManifest(encode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m && cipher == m.cipher && Arrays.equals(sealedName, m.sealedName) && size == m.size
                && chunkSize == m.chunkSize && Arrays.equals(root, m.root) && created.equals(m.created);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cipher, Arrays.hashCode(sealedName), size, chunkSize, Arrays.hashCode(root), created);
    }

    @Override
    public String toString() {
        return "Manifest[cipher=" + cipher + ", size=" + size + ", chunkSize=" + chunkSize + ", chunks=" + chunkCount() + "]";
    }
}
