package org.parley.libp2p.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.parley.libp2p.multiformats.Multihash;

/**
 * A secp256k1 public key (33-byte compressed point) verifying SHA-256 ECDSA signatures in DER
 * form. The JDK dropped this curve, so Bouncy Castle does the math. Immutable and thread safe.
 */
public final class Secp256k1PublicKey implements PublicKey {

    public static final int COMPRESSED_BYTES = 33;
    /** A DER ECDSA signature over a 256-bit curve is at most 72 bytes. */
    private static final int MAX_SIGNATURE_BYTES = 72;

    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private final byte[] compressed;
    private final ECPoint point;

    private Secp256k1PublicKey(byte[] compressed) {
        if (compressed.length != COMPRESSED_BYTES) {
            throw new IllegalArgumentException(
                    "secp256k1 key must be " + COMPRESSED_BYTES + " bytes compressed, got " + compressed.length);
        }
        try {
            this.point = CURVE.getCurve().decodePoint(compressed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a point on secp256k1: " + e.getMessage(), e);
        }
        if (!point.isValid() || point.isInfinity()) {
            throw new IllegalArgumentException("not a valid secp256k1 point");
        }
        this.compressed = compressed.clone();
    }

    public static Secp256k1PublicKey fromCompressed(byte[] compressed) {
        return new Secp256k1PublicKey(compressed);
    }

    @Override
    public KeyType type() {
        return KeyType.SECP256K1;
    }

    @Override
    public byte[] raw() {
        return compressed.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        if (signature.length > MAX_SIGNATURE_BYTES) {
            return false;
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
            // Only strict DER, as go-libp2p (btcec) accepts: BER variants would make signatures malleable.
            if (seq.size() != 2 || !Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature)) {
                return false;
            }
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            if (r.signum() <= 0 || s.signum() <= 0) {
                return false;
            }
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(point, DOMAIN));
            return verifier.verifySignature(Multihash.sha256Digest(data), r, s);
        } catch (IOException | RuntimeException e) {
            // A malformed signature is just an invalid one.
            return false;
        }
    }

    @Override
    public byte[] marshal() {
        return Keys.marshalPublic(KeyType.SECP256K1, compressed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secp256k1PublicKey other && Arrays.equals(compressed, other.compressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return "Secp256k1PublicKey[" + HexFormat.of().formatHex(compressed) + "]";
    }
}
