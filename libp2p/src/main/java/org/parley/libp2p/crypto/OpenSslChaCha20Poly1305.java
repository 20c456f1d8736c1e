package org.parley.libp2p.crypto;

/** ChaCha20-Poly1305 from OpenSSL's libcrypto ({@code EVP_chacha20_poly1305}); see {@link OpenSslAead}. */
public final class OpenSslChaCha20Poly1305 extends OpenSslAead {

    /**
     * @throws IllegalStateException if libcrypto cannot be called here (see {@link #isAvailable()})
     */
    public OpenSslChaCha20Poly1305(byte[] key) {
        super(EvpCipher.CHACHA20_POLY1305, key);
    }
}
