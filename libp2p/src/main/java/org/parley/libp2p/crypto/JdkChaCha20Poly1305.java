package org.parley.libp2p.crypto;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * {@link Aead} over the JDK's {@code ChaCha20-Poly1305} cipher (SunJCE, with CPU intrinsics).
 *
 * <p>Threading: not thread safe; one cipher is reused for every message. The JDK refuses to
 * encrypt twice with the same key and nonce, which callers with a message counter never do.
 */
public final class JdkChaCha20Poly1305 extends JdkAead {

    public JdkChaCha20Poly1305(byte[] key) {
        super("ChaCha20-Poly1305", "ChaCha20-Poly1305", "ChaCha20", key);
    }

    @Override
    protected AlgorithmParameterSpec parameters(byte[] nonce) {
        return new IvParameterSpec(nonce);
    }

    @Override
    public String toString() {
        return "JdkChaCha20Poly1305";
    }
}
