package org.parley.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpenSslAes256Gcm} against the GCM specification's test case 16 and against the JDK's AES-GCM. */
class OpenSslAes256GcmTest {

    private static final HexFormat HEX = HexFormat.of();
    // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16 (256-bit key, 96-bit IV).
    private static final byte[] KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    private static final byte[] NONCE = HEX.parseHex("cafebabefacedbaddecaf888");
    private static final byte[] AD = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] PLAINTEXT = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final String CIPHERTEXT_AND_TAG = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b";

    @BeforeEach
    void needsLibcrypto() {
        assumeTrue(OpenSslAead.isAvailable(), "OpenSSL 3 libcrypto is not installed here");
    }

    @Test
    void sealsAndOpensTheSpecificationVector() throws Exception {
        Aead aead = new OpenSslAes256Gcm(KEY);
        byte[] sealed = new byte[PLAINTEXT.length + Aead.TAG_BYTES];
        assertThat(aead.seal(NONCE, AD, PLAINTEXT, 0, PLAINTEXT.length, sealed, 0)).isEqualTo(sealed.length);
        assertThat(HEX.formatHex(sealed)).isEqualTo(CIPHERTEXT_AND_TAG);
        byte[] opened = new byte[PLAINTEXT.length];
        assertThat(aead.open(NONCE, AD, sealed, 0, sealed.length, opened, 0)).isEqualTo(PLAINTEXT.length);
        assertThat(opened).isEqualTo(PLAINTEXT);
    }

    @Test
    void agreesWithTheJdkOnLargeBuffersAndRejectsATamperedOneWithoutLeavingPlaintext() throws Exception {
        Random random = new Random(16);
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] plain = new byte[256 * 1024 + 5];
        random.nextBytes(plain);
        Aead aead = new OpenSslAes256Gcm(key);
        byte[] sealed = new byte[plain.length + Aead.TAG_BYTES];
        aead.seal(nonce, null, plain, 0, plain.length, sealed, 0);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        assertThat(jdk.doFinal(plain)).isEqualTo(sealed);

        sealed[1000] ^= 1;
        byte[] out = new byte[plain.length];
        assertThatThrownBy(() -> aead.open(nonce, null, sealed, 0, sealed.length, out, 0))
                .isInstanceOf(AEADBadTagException.class).hasMessage("AES-256-GCM tag mismatch");
        assertThat(out).containsOnly(0);
        // The instance still works after a failed open.
        sealed[1000] ^= 1;
        assertThat(aead.open(nonce, null, sealed, 0, sealed.length, out, 0)).isEqualTo(plain.length);
        assertThat(out).isEqualTo(plain);
    }
}
