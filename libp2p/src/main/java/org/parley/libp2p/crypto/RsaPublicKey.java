package org.parley.libp2p.crypto;

import java.security.interfaces.RSAPublicKey;

/**
 * An RSA public key (DER PKIX), verifying SHA-256 RSASSA-PKCS1-v1_5 signatures, as old IPFS peers
 * use. Immutable and thread safe.
 */
public final class RsaPublicKey extends JdkPublicKey {

    /** libp2p rejects RSA keys below 2048 bits as too weak. */
    public static final int MIN_BITS = 2048;
    /** Bigger keys only cost verification time; 8192 bits is the ceiling go-libp2p applies too. */
    public static final int MAX_BITS = 8192;

    private RsaPublicKey(byte[] der) {
        super(der, "RSA", "SHA256withRSA");
        int bits = ((RSAPublicKey) jdkKey()).getModulus().bitLength();
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "RSA key of " + bits + " bits is outside " + MIN_BITS + ".." + MAX_BITS);
        }
    }

    public static RsaPublicKey fromDer(byte[] der) {
        return new RsaPublicKey(der);
    }

    @Override
    public KeyType type() {
        return KeyType.RSA;
    }

    @Override
    public String toString() {
        return "RsaPublicKey[" + ((RSAPublicKey) jdkKey()).getModulus().bitLength() + " bits]";
    }
}
