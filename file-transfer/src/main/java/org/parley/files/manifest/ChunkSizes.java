package org.parley.files.manifest;

/** Chooses the chunk size of a file and holds the limits on chunk sizes and counts. Stateless. */
public final class ChunkSizes {

    /** 256 KiB: small enough that a piece is quickly fetched and verified, large enough that per-piece overhead is tiny. */
    public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
    /**
     * 16 MiB: a piece is held in memory while it is verified, once per peer, so this bounds a
     * download's buffers (with {@code FilesLimits.MAX_PEERS_PER_DOWNLOAD}) whatever the file size.
     */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
    /** 4,096 chunks: keeps a have-bitfield at 512 bytes and a Merkle proof at 12 hashes. */
    public static final int MAX_CHUNKS = 4096;
    /** The largest file one manifest describes: 4,096 chunks of 16 MiB, 64 GiB. */
    public static final long MAX_FILE_SIZE = (long) MAX_CHUNKS * MAX_CHUNK_SIZE;

    private ChunkSizes() {}

    /**
     * The smallest power of two, at least {@link #DEFAULT_CHUNK_SIZE}, that cuts {@code fileSize}
     * into at most {@link #MAX_CHUNKS} chunks.
     *
     * @throws IllegalArgumentException if the size is not in 1..{@link #MAX_FILE_SIZE}
     */
    public static int forFileSize(long fileSize) {
        if (fileSize < 1 || fileSize > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("a shared file has 1 to " + MAX_FILE_SIZE + " bytes, not " + fileSize);
        }
        int size = DEFAULT_CHUNK_SIZE;
        while ((long) size * MAX_CHUNKS < fileSize) {
            size <<= 1;
        }
        return size;
    }

    /** The number of chunks of a file. */
    public static int chunkCount(long fileSize, int chunkSize) {
        return (int) ((fileSize + chunkSize - 1) / chunkSize);
    }

    /** The plaintext length of chunk {@code index}: the last one may be shorter. */
    public static int plainLength(long fileSize, int chunkSize, int index) {
        return (int) Math.min(chunkSize, fileSize - (long) index * chunkSize);
    }
}
