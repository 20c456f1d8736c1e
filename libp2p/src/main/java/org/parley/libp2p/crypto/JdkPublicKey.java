package org.parley.libp2p.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A DER (SubjectPublicKeyInfo) public key verified by the JDK: the shared part of RSA and ECDSA.
 * Both sign SHA-256 of the message (PKCS#1 v1.5 for RSA, DER-encoded ECDSA signatures).
 */
abstract sealed class JdkPublicKey implements PublicKey permits RsaPublicKey, EcdsaPublicKey {

    private final byte[] der;
    private final java.security.PublicKey key;
    private final String signatureAlgorithm;

    JdkPublicKey(byte[] der, String keyAlgorithm, String signatureAlgorithm) {
        this.der = der.clone();
        this.signatureAlgorithm = signatureAlgorithm;
        try {
            this.key = KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(this.der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a DER " + keyAlgorithm + " public key: " + e.getMessage(), e);
        }
    }

    java.security.PublicKey jdkKey() {
        return key;
    }

    @Override
    public byte[] raw() {
        return der.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A malformed signature is just an invalid one.
            return false;
        }
    }

    @Override
    public byte[] marshal() {
        return Keys.marshalPublic(type(), der);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JdkPublicKey other && type() == other.type() && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }
}
