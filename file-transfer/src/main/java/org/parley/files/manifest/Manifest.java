package org.parley.files.manifest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a shared file is: format version, sealed name, size, chunk size, the Merkle root of its
 * ciphertext chunks and when it was shared. The name is sealed with the file key, so a peer that
 * knows only the file id (from the DHT) learns the size but not the name. Immutable; the arrays are
 * copied in and out.
 */
public final class Manifest {

    /** The only format version so far. */
    public static final int VERSION = 1;

    private final byte[] sealedName;
    private final long size;
    private final int chunkSize;
    private final byte[] root;
    private final Instant created;

    public Manifest(byte[] sealedName, long size, int chunkSize, byte[] root, Instant created) {
        this.sealedName = sealedName.clone();
        this.size = size;
        this.chunkSize = chunkSize;
        this.root = root.clone();
        this.created = Objects.requireNonNull(created).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ManifestCodec.checkFields(this.sealedName.length, size, chunkSize, this.root.length);
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
        return o instanceof Manifest m && Arrays.equals(sealedName, m.sealedName) && size == m.size
                && chunkSize == m.chunkSize && Arrays.equals(root, m.root) && created.equals(m.created);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(sealedName), size, chunkSize, Arrays.hashCode(root), created);
    }

    @Override
    public String toString() {
        return "Manifest[size=" + size + ", chunkSize=" + chunkSize + ", chunks=" + chunkCount() + "]";
    }
}
