package org.parley.files.crypto;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.spec.GCMParameterSpec;
import org.parley.libp2p.crypto.JdkAead;

/**
 * AES-256-GCM over the JDK's cipher, for {@link ChunkCipher} where OpenSSL's libcrypto cannot be
 * called: a downloader must open the chunks of a file shared with AES-256-GCM whatever it has. Slow
 * at first (HotSpot's AES-GCM intrinsic takes over only once the cipher code is compiled, after some
 * hundreds of MB), fast after. Not thread safe.
 *
 * <p>The JDK refuses to encrypt twice in a row under the same key and nonce. A seeder does exactly
 * that, harmlessly, when it seals the same chunk twice (a re-request): the plaintext is the same, so
 * is the ciphertext, and nothing leaks. For that case alone a fresh cipher is taken.
 */
final class JdkAes256Gcm extends JdkAead {

    private static final int TAG_BITS = TAG_BYTES * 8;

    private byte[] lastSealNonce;

    JdkAes256Gcm(byte[] key) {
        super("AES-256-GCM", "AES/GCM/NoPadding", "AES", key);
    }

    @Override
    protected AlgorithmParameterSpec parameters(byte[] nonce) {
        return new GCMParameterSpec(TAG_BITS, nonce);
    }

    @Override
    protected boolean needsFreshCipher(byte[] nonce) {
        boolean repeated = Arrays.equals(nonce, lastSealNonce);
        lastSealNonce = nonce.clone();
        return repeated;
    }
}
