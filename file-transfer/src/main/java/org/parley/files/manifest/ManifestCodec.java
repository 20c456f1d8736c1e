package org.parley.files.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.ChunkCipherSuite;
import org.parley.files.merkle.MerkleTree;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;

/**
 * Bytes to {@link Manifest} and back. Layout (varints are unsigned LEB128, minimal):
 *
 * <pre>
 *   u8      version            1 (chunks sealed with ChaCha20-Poly1305) or 2 (cipher field follows)
 *   u8      cipher             version 2 only: 2 AES-256-GCM (ChaCha20-Poly1305 is always version 1)
 *   varint  sealed name length 17..{@value #MAX_SEALED_NAME_BYTES} (UTF-8 name + 16-byte tag)
 *   bytes   sealed name
 *   varint  file size          1..{@link ChunkSizes#MAX_FILE_SIZE}
 *   u8      log2(chunk size)   18..24 (256 KiB..16 MiB), at most 4,096 chunks
 *   32      Merkle root        SHA-256
 *   varint  created            milliseconds since 1970-01-01 UTC
 * </pre>
 *
 * Nothing may follow. The file id hashes the bytes as received, so a peer cannot substitute an
 * equivalent encoding. Stateless, thread safe.
 */
public final class ManifestCodec {

    /** A file name is at most 255 UTF-8 bytes, the limit of common file systems. */
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_SEALED_NAME_BYTES = MAX_NAME_BYTES + ChunkCipher.TAG_BYTES;
    /** The largest encoded manifest: fixed fields, varints at their longest, the longest name. */
    public static final int MAX_ENCODED_BYTES = 1 + 1 + Varint.MAX_BYTES + MAX_SEALED_NAME_BYTES + Varint.MAX_BYTES + 1
            + MerkleTree.HASH_BYTES + Varint.MAX_BYTES;

    private static final int MIN_CHUNK_LOG2 = Integer.numberOfTrailingZeros(ChunkSizes.DEFAULT_CHUNK_SIZE);
    private static final int MAX_CHUNK_LOG2 = Integer.numberOfTrailingZeros(ChunkSizes.MAX_CHUNK_SIZE);

    private ManifestCodec() {}

    public static byte[] encode(Manifest m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(m.version());
        if (m.version() == Manifest.VERSION_WITH_CIPHER) {
            out.write(m.cipher().code);
        }
        byte[] name = m.sealedName();
        out.writeBytes(Varint.encode(name.length));
        out.writeBytes(name);
        out.writeBytes(Varint.encode(m.size()));
        out.write(Integer.numberOfTrailingZeros(m.chunkSize()));
        out.writeBytes(m.root());
        out.writeBytes(Varint.encode(m.created().toEpochMilli()));
        return out.toByteArray();
    }

    /**
     * Parses one whole manifest.
     *
     * @throws PeerFaultException naming the field that is wrong
     */
    public static Manifest decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new PeerFaultException("manifest of " + bytes.length + " bytes exceeds the limit of " + MAX_ENCODED_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (!in.hasRemaining()) {
            throw new PeerFaultException("manifest is empty");
        }
        ChunkCipherSuite cipher = cipher(in);
        long nameLength = Varint.read(in);
        if (nameLength < ChunkCipher.TAG_BYTES + 1 || nameLength > MAX_SEALED_NAME_BYTES) {
            throw new PeerFaultException("manifest sealed name of " + nameLength + " bytes is outside "
                    + (ChunkCipher.TAG_BYTES + 1) + ".." + MAX_SEALED_NAME_BYTES);
        }
        if (nameLength > in.remaining()) {
            throw new PeerFaultException("manifest ends inside its name");
        }
        byte[] name = new byte[(int) nameLength];
        in.get(name);
        long size = Varint.read(in);
        if (!in.hasRemaining()) {
            throw new PeerFaultException("manifest ends before its chunk size");
        }
        int log2 = in.get() & 0xFF;
        if (log2 < MIN_CHUNK_LOG2 || log2 > MAX_CHUNK_LOG2) {
            throw new PeerFaultException("manifest chunk size 2^" + log2 + " is outside 2^" + MIN_CHUNK_LOG2 + "..2^" + MAX_CHUNK_LOG2);
        }
        if (in.remaining() < MerkleTree.HASH_BYTES) {
            throw new PeerFaultException("manifest ends inside its Merkle root");
        }
        byte[] root = new byte[MerkleTree.HASH_BYTES];
        in.get(root);
        long created = Varint.read(in);
        if (in.hasRemaining()) {
            throw new PeerFaultException("manifest has " + in.remaining() + " trailing bytes");
        }
        try {
            checkFields(name.length, size, 1 << log2, root.length);
            return new Manifest(cipher, name, size, 1 << log2, root, Instant.ofEpochMilli(created));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new PeerFaultException("manifest: " + e.getMessage());
        }
    }

    /** Reads the version and, in format 2, the cipher field. */
    private static ChunkCipherSuite cipher(ByteBuffer in) throws PeerFaultException {
        int version = in.get() & 0xFF;
        if (version == Manifest.VERSION_CHACHA20_POLY1305) {
            return ChunkCipherSuite.CHACHA20_POLY1305;
        }
        if (version != Manifest.VERSION_WITH_CIPHER) {
            throw new PeerFaultException("manifest format version " + version + " is not supported (expected "
                    + Manifest.VERSION_CHACHA20_POLY1305 + " or " + Manifest.VERSION_WITH_CIPHER + "); is this node out of date?");
        }
        if (!in.hasRemaining()) {
            throw new PeerFaultException("manifest ends before its cipher");
        }
        int code = in.get() & 0xFF;
        ChunkCipherSuite cipher = ChunkCipherSuite.ofCode(code);
        if (cipher == null) {
            throw new PeerFaultException("manifest names chunk cipher " + code + ", which this node does not know; is it out of date?");
        }
        if (cipher == ChunkCipherSuite.CHACHA20_POLY1305) {
            // One encoding per manifest, or two file ids would name the same file.
            throw new PeerFaultException("manifest format 2 names ChaCha20-Poly1305, which is always written as format 1");
        }
        return cipher;
    }

    static void checkFields(int sealedNameLength, long size, int chunkSize, int rootLength) {
        if (sealedNameLength <= ChunkCipher.TAG_BYTES || sealedNameLength > MAX_SEALED_NAME_BYTES) {
            throw new IllegalArgumentException("sealed name of " + sealedNameLength + " bytes is outside "
                    + (ChunkCipher.TAG_BYTES + 1) + ".." + MAX_SEALED_NAME_BYTES);
        }
        if (size < 1 || size > ChunkSizes.MAX_FILE_SIZE) {
            throw new IllegalArgumentException("file size " + size + " is outside 1.." + ChunkSizes.MAX_FILE_SIZE);
        }
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < ChunkSizes.DEFAULT_CHUNK_SIZE || chunkSize > ChunkSizes.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not a power of two in "
                    + ChunkSizes.DEFAULT_CHUNK_SIZE + ".." + ChunkSizes.MAX_CHUNK_SIZE);
        }
        if (ChunkSizes.chunkCount(size, chunkSize) > ChunkSizes.MAX_CHUNKS) {
            throw new IllegalArgumentException("file size " + size + " in chunks of " + chunkSize + " makes more than "
                    + ChunkSizes.MAX_CHUNKS + " chunks");
        }
        if (rootLength != MerkleTree.HASH_BYTES) {
            throw new IllegalArgumentException("Merkle root of " + rootLength + " bytes, expected " + MerkleTree.HASH_BYTES);
        }
    }
}
