package org.parley.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.multiformats.Varint;
import org.parley.libp2p.peer.PeerId;

class KeysTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MESSAGE = "libp2p signing test".getBytes(StandardCharsets.UTF_8);

    /** libp2p-wire.md §1 test vector. */
    private static final String PRIVATE_PB = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String PUBLIC_PB = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @Test
    void readsTheSpecPrivateKeyAndDerivesItsPublicKey() throws Exception {
        PrivateKey key = Keys.unmarshalPrivate(HEX.parseHex(PRIVATE_PB));
        assertThat(key.type()).isEqualTo(KeyType.ED25519);
        assertThat(HEX.formatHex(key.publicKey().marshal())).isEqualTo(PUBLIC_PB);
        assertThat(HEX.formatHex(key.marshal())).isEqualTo(PRIVATE_PB);
        assertThat(Keys.unmarshalPublic(HEX.parseHex(PUBLIC_PB))).isEqualTo(key.publicKey());
    }

    @Test
    void signsLikeRfc8032TestVectorOne() {
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(key.publicKey().raw()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HEX.formatHex(key.sign(new byte[0]))).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0652"
                + "24901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void ed25519VerifiesItsOwnSignatureAndRejectsTampering() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] signature = key.sign(MESSAGE);
        assertThat(key.publicKey().verify(MESSAGE, signature)).isTrue();
        assertThat(key.publicKey().verify(MESSAGE, flipBit(signature, 10))).isFalse();
        assertThat(key.publicKey().verify(flipBit(MESSAGE, 0), signature)).isFalse();
        assertThat(key.publicKey().verify(MESSAGE, new byte[63])).isFalse();
        assertThat(Ed25519PrivateKey.generate().publicKey().verify(MESSAGE, signature)).isFalse();
    }

    @Test
    void acceptsTheLegacy96ByteEd25519PrivateKey() throws Exception {
        byte[] data = HEX.parseHex(PRIVATE_PB.substring(8));
        byte[] legacy = new byte[96];
        System.arraycopy(data, 0, legacy, 0, 64);
        System.arraycopy(data, 32, legacy, 64, 32);
        PrivateKey key = Keys.unmarshalPrivate(protobuf(1, legacy));
        assertThat(key).isEqualTo(Keys.unmarshalPrivate(HEX.parseHex(PRIVATE_PB)));
        assertThat(HEX.formatHex(key.marshal())).isEqualTo(PRIVATE_PB);
    }

    @Test
    void rejectsALegacyEd25519PrivateKeyWithDifferentPublicHalves() {
        byte[] legacy = new byte[96];
        System.arraycopy(HEX.parseHex(PRIVATE_PB.substring(8)), 0, legacy, 0, 64);
        assertThatThrownBy(() -> Keys.unmarshalPrivate(protobuf(1, legacy)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("invalid Ed25519 private key: legacy 96-byte Ed25519 key has two different public halves");
    }

    @Test
    void rejectsAnEd25519PrivateKeyWhosePublicHalfDoesNotMatch() {
        byte[] data = HEX.parseHex(PRIVATE_PB.substring(8));
        data[40] ^= 1;
        assertThatThrownBy(() -> Keys.unmarshalPrivate(protobuf(1, data)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("invalid Ed25519 private key: Ed25519 private key's public half does not match its seed");
    }

    @Test
    void rejectsPrivateKeysOfOtherTypes() {
        assertThatThrownBy(() -> Keys.unmarshalPrivate(protobuf(0, new byte[10])))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("unsupported private key type RSA; expected Ed25519");
    }

    @Test
    void rejectsAnEd25519PublicKeyOfTheWrongLength() {
        assertThatThrownBy(() -> Keys.unmarshalPublic(protobuf(1, new byte[31])))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("invalid Ed25519 public key: Ed25519 public key must be 32 bytes, got 31");
    }

    @Test
    void rejectsAnUnknownKeyType() {
        assertThatThrownBy(() -> Keys.unmarshalPublic(protobuf(4, new byte[32])))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("malformed PublicKey protobuf: ");
    }

    @Test
    void rejectsAPublicKeyWithoutData() {
        assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("0801")))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("malformed PublicKey protobuf: ");
    }

    @Test
    void rejectsAnOversizedKeyBeforeParsing() {
        assertThatThrownBy(() -> Keys.unmarshalPublic(new byte[Keys.MAX_MARSHALLED_KEY_BYTES + 1]))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("malformed PublicKey protobuf: key of 8193 bytes exceeds 8192");
    }

    @Test
    void verifiesRsaSignaturesFromAJdkKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] signature = jdkSign("SHA256withRSA", pair, MESSAGE);

        byte[] marshalled = protobuf(0, pair.getPublic().getEncoded());
        PublicKey key = Keys.unmarshalPublic(marshalled);

        assertThat(key).isInstanceOf(RsaPublicKey.class);
        assertThat(key.type()).isEqualTo(KeyType.RSA);
        assertThat(key.marshal()).isEqualTo(marshalled);
        assertThat(key.verify(MESSAGE, signature)).isTrue();
        assertThat(key.verify(MESSAGE, flipBit(signature, 100))).isFalse();
        assertThat(key.verify(flipBit(MESSAGE, 3), signature)).isFalse();
        assertThat(PeerId.fromPublicKey(key).toBase58()).startsWith("Qm");
        assertThat(PeerId.fromPublicKey(key).bytes())
                .isEqualTo(Multihash.sha256(marshalled).bytes());
    }

    @Test
    void rejectsRsaKeysShorterThan2048Bits() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        byte[] der = generator.generateKeyPair().getPublic().getEncoded();
        assertThatThrownBy(() -> Keys.unmarshalPublic(protobuf(0, der)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("invalid RSA public key: RSA key of 1024 bits is outside 2048..8192");
    }

    @Test
    void verifiesEcdsaP256SignaturesFromAJdkKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] signature = jdkSign("SHA256withECDSA", pair, MESSAGE);

        byte[] marshalled = protobuf(3, pair.getPublic().getEncoded());
        PublicKey key = Keys.unmarshalPublic(marshalled);

        assertThat(key).isInstanceOf(EcdsaPublicKey.class);
        assertThat(key.marshal()).isEqualTo(marshalled);
        assertThat(key.verify(MESSAGE, signature)).isTrue();
        assertThat(key.verify(MESSAGE, flipBit(signature, signature.length - 1))).isFalse();
        assertThat(key.verify(flipBit(MESSAGE, 3), signature)).isFalse();
        assertThat(key.verify(MESSAGE, new byte[] {0x30, 0x00})).isFalse();
    }

    @Test
    void rejectsAnRsaKeyMarkedAsEcdsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] der = generator.generateKeyPair().getPublic().getEncoded();
        assertThatThrownBy(() -> Keys.unmarshalPublic(protobuf(3, der)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("invalid ECDSA public key: not a DER EC public key: ");
    }

    @Test
    void verifiesSecp256k1SignaturesFromABouncyCastleKey() throws Exception {
        X9ECParameters curve = SECNamedCurves.getByName("secp256k1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        byte[] compressed = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(true);

        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, (ECPrivateKeyParameters) pair.getPrivate());
        BigInteger[] rs = signer.generateSignature(Multihash.sha256Digest(MESSAGE));
        byte[] signature = der(rs[0], rs[1]);

        byte[] marshalled = protobuf(2, compressed);
        PublicKey key = Keys.unmarshalPublic(marshalled);

        assertThat(key).isInstanceOf(Secp256k1PublicKey.class);
        assertThat(key.marshal()).isEqualTo(marshalled);
        assertThat(key.verify(MESSAGE, signature)).isTrue();
        assertThat(key.verify(MESSAGE, flipBit(signature, signature.length - 1))).isFalse();
        assertThat(key.verify(flipBit(MESSAGE, 3), signature)).isFalse();
        assertThat(key.verify(MESSAGE, der(rs[0].negate(), rs[1]))).isFalse();
        assertThat(key.verify(MESSAGE, der(rs[0], domain.getN().subtract(rs[1])))).as("malleated s still verifies")
                .isTrue();
        assertThat(key.verify(MESSAGE, berWithLongFormLength(signature))).as("BER is not DER").isFalse();
        assertThat(PeerId.fromPublicKey(key).toBase58()).startsWith("16Uiu2HA");
        assertThat(PeerId.fromPublicKey(key).inlinedPublicKey()).isEqualTo(key);
    }

    @Test
    void rejectsASecp256k1KeyThatIsNotOnTheCurve() {
        byte[] compressed = new byte[33];
        compressed[0] = 0x02;
        compressed[32] = 5;
        assertThatThrownBy(() -> Keys.unmarshalPublic(protobuf(2, compressed)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith("invalid Secp256k1 public key: ");
    }

    /** The libp2p PublicKey/PrivateKey protobuf, written by hand to check our encoder byte for byte. */
    static byte[] protobuf(int type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x08);
        out.writeBytes(Varint.encode(type));
        out.write(0x12);
        out.writeBytes(Varint.encode(data.length));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] jdkSign(String algorithm, KeyPair pair, byte[] data) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update(data);
        return signer.sign();
    }

    private static byte[] der(BigInteger r, BigInteger s) throws Exception {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(r));
        v.add(new ASN1Integer(s));
        return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    }

    /** The same SEQUENCE with its short-form length rewritten in the long form {@code 81 nn}. */
    private static byte[] berWithLongFormLength(byte[] der) {
        byte[] out = new byte[der.length + 1];
        out[0] = der[0];
        out[1] = (byte) 0x81;
        System.arraycopy(der, 1, out, 2, der.length - 1);
        return out;
    }

    private static byte[] flipBit(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 1;
        return copy;
    }
}
