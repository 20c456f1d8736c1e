package org.parley.files.crypto;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.crypto.Aead;

/**
 * Encrypts and decrypts the chunks and the name of one file under its {@link FileKey}, with the
 * {@link ChunkCipherSuite} its manifest names: ChaCha20-Poly1305 through the project's {@link Aead}
 * facade (which picks the fastest implementation on this CPU), or AES-256-GCM through OpenSSL's
 * libcrypto (the JDK's where OpenSSL cannot be called).
 *
 * <p>Why not XChaCha20: {@code ChunkCipherBench} (file-transfer test sources) sealed 256 KiB chunks
 * (2026-12-03, shared 2-core EPYC) at 1,602 MB/s through {@link Aead#CHACHA20_POLY1305} against
 * 681 MB/s with libsodium's XChaCha20-Poly1305; the extended nonce buys nothing here because the
 * nonce is not random but the chunk index, unique under a key that is itself random and used for one
 * file only. Both suites take the same 12-byte nonces and 16-byte tags.
 *
 * <p>Nonces (12 bytes): chunk {@code i} uses {@code 00000000 ‖ uint64be(i)}; the name uses
 * {@code FFFFFFFF ‖ 0...0}, which no chunk index reaches. A chunk sealed again (a seeder serving it
 * twice) reuses its nonce with the same plaintext, which yields the same ciphertext and reveals
 * nothing. Not thread safe (the ciphers keep state): one instance per thread.
 */
public final class ChunkCipher implements AutoCloseable {

    /** Authentication tag bytes added to every sealed chunk, in either suite. */
    public static final int TAG_BYTES = Aead.TAG_BYTES;

    private final ChunkCipherSuite suite;
    private final Aead aead;
    private final byte[] nonce = new byte[Aead.NONCE_BYTES];

    public ChunkCipher(FileKey key, ChunkCipherSuite suite) {
        this.suite = suite;
        byte[] raw = key.bytes();
        this.aead = suite.factory().create(raw);
        Arrays.fill(raw, (byte) 0);
    }

    public ChunkCipherSuite suite() {
        return suite;
    }

    /** Seals {@code plain[0, len)} of chunk {@code index} into {@code out[0, len + 16)}. */
    public int sealChunk(long index, byte[] plain, int len, byte[] out) {
        return seal(chunkNonce(index), plain, len, out);
    }

    /**
     * Opens sealed chunk {@code index} from {@code sealed[0, len)} into {@code out}.
     *
     * @throws AEADBadTagException if the bytes are not chunk {@code index} of this file under this key
     */
    public int openChunk(long index, byte[] sealed, int len, byte[] out) throws AEADBadTagException {
        return open(chunkNonce(index), sealed, len, out);
    }

    /** Seals the file name (UTF-8 bytes) for the manifest. */
    public byte[] sealName(byte[] name) {
        byte[] out = new byte[name.length + TAG_BYTES];
        seal(nameNonce(), name, name.length, out);
        return out;
    }

    /** Opens the manifest's sealed name; fails when the key does not belong to the manifest. */
    public byte[] openName(byte[] sealed) throws AEADBadTagException {
        if (sealed.length < TAG_BYTES) {
            throw new AEADBadTagException("sealed name of " + sealed.length + " bytes is shorter than its tag");
        }
        byte[] out = new byte[sealed.length - TAG_BYTES];
        open(nameNonce(), sealed, sealed.length, out);
        return out;
    }

    private int seal(byte[] nonce, byte[] plain, int len, byte[] out) {
        return aead.seal(nonce, null, plain, 0, len, out, 0);
    }

    private int open(byte[] nonce, byte[] sealed, int len, byte[] out) throws AEADBadTagException {
        return aead.open(nonce, null, sealed, 0, len, out, 0);
    }

    private byte[] chunkNonce(long index) {
        Arrays.fill(nonce, 0, 4, (byte) 0);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (index >>> (56 - 8 * i));
        }
        return nonce;
    }

    private byte[] nameNonce() {
        Arrays.fill(nonce, (byte) 0);
        Arrays.fill(nonce, 0, 4, (byte) 0xFF);
        return nonce;
    }

    @Override
    public void close() {
        aead.destroy();
    }
}
