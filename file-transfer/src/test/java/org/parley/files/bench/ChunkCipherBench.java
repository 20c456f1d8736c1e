package org.parley.files.bench;

import org.parley.files.crypto.ChunkCipher;
import org.parley.files.crypto.FileKey;
import org.parley.libp2p.crypto.Sodium;

/**
 * Compares the two candidate chunk ciphers on 256 KiB chunks, one core: ChaCha20-Poly1305 through
 * the project's Aead facade (what {@link ChunkCipher} uses) and libsodium's XChaCha20-Poly1305.
 * Prints MB/s of each (MB = 10^6 bytes) and their ratio. Run from the IDE or with java -cp.
 */
public final class ChunkCipherBench {

    private static final int CHUNK = 256 * 1024;
    private static final int ROUNDS = 4096; // 1 GiB per measurement

    private ChunkCipherBench() {}

    public static void main(String[] args) {
        byte[] plain = new byte[CHUNK];
        byte[] sealed = new byte[CHUNK + 16];
        FileKey key = FileKey.generate();
        byte[] rawKey = key.bytes();
        byte[] nonce = new byte[24];
        for (int warm = 0; warm < 2; warm++) {
            double aead = measure(() -> {
                try (ChunkCipher cipher = new ChunkCipher(key)) {
                    for (int i = 0; i < ROUNDS; i++) {
                        cipher.sealChunk(i, plain, CHUNK, sealed);
                    }
                }
            });
            double sodium = measure(() -> {
                long[] length = new long[1];
                for (int i = 0; i < ROUNDS; i++) {
                    nonce[0] = (byte) i;
                    Sodium.get().cryptoAeadXChaCha20Poly1305IetfEncrypt(sealed, length, plain, CHUNK, null, 0, null, nonce, rawKey);
                }
            });
            System.out.printf("%s: ChaCha20-Poly1305 (Aead facade) %.0f MB/s, XChaCha20-Poly1305 (libsodium) %.0f MB/s, ratio %.2f%n",
                    warm == 0 ? "warm-up" : "measured", aead, sodium, aead / sodium);
        }
    }

    private static double measure(Runnable work) {
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) CHUNK * ROUNDS / 1e6 / seconds;
    }
}
