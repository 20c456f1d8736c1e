package org.parley.libp2p.crypto;

/**
 * An ECDSA public key (DER PKIX, usually P-256), verifying SHA-256 ECDSA signatures in DER form.
 * Immutable and thread safe.
 */
public final class EcdsaPublicKey extends JdkPublicKey {

    private EcdsaPublicKey(byte[] der) {
        super(der, "EC", "SHA256withECDSA");
    }

    public static EcdsaPublicKey fromDer(byte[] der) {
        return new EcdsaPublicKey(der);
    }

    @Override
    public KeyType type() {
        return KeyType.ECDSA;
    }

    @Override
    public String toString() {
        return "EcdsaPublicKey[" + jdkKey().getAlgorithm() + "]";
    }
}
