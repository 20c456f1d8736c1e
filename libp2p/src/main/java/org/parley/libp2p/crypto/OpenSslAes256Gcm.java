package org.parley.libp2p.crypto;

/**
 * AES-256-GCM from OpenSSL's libcrypto ({@code EVP_aes_256_gcm}) behind the {@link Aead} contract
 * (32-byte key, 12-byte nonce, 16-byte tag); see {@link OpenSslAead}. Not for Noise, whose libp2p
 * handshake fixes ChaChaPoly; the files module seals chunks with it where it is faster.
 */
public final class OpenSslAes256Gcm extends OpenSslAead {

    /**
     * @throws IllegalStateException if libcrypto cannot be called here (see {@link #isAvailable()})
     */
    public OpenSslAes256Gcm(byte[] key) {
        super(EvpCipher.AES_256_GCM, key);
    }
}
