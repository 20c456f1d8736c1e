package org.parley.files.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.OpenSslAead;
import org.parley.libp2p.crypto.OpenSslAes256Gcm;

class ChunkCipherTest {

    private static final int CHUNK = 256 * 1024;

    @ParameterizedTest
    @EnumSource(ChunkCipherSuite.class)
    void aChunkOpensOnlyUnderItsIndexKeyAndSuite(ChunkCipherSuite suite) throws Exception {
        FileKey key = FileKey.generate();
        byte[] plain = random(CHUNK, 1);
        byte[] sealed = new byte[CHUNK + ChunkCipher.TAG_BYTES];
        byte[] out = new byte[CHUNK];
        try (ChunkCipher cipher = new ChunkCipher(key, suite)) {
            assertThat(cipher.suite()).isEqualTo(suite);
            assertThat(cipher.sealChunk(41, plain, CHUNK, sealed)).isEqualTo(sealed.length);
            assertThat(cipher.openChunk(41, sealed, sealed.length, out)).isEqualTo(CHUNK);
            assertThat(out).isEqualTo(plain);
            assertThatThrownBy(() -> cipher.openChunk(42, sealed, sealed.length, out)).isInstanceOf(AEADBadTagException.class);
        }
        ChunkCipherSuite other = suite == ChunkCipherSuite.AES_256_GCM ? ChunkCipherSuite.CHACHA20_POLY1305 : ChunkCipherSuite.AES_256_GCM;
        try (ChunkCipher wrongSuite = new ChunkCipher(key, other); ChunkCipher wrongKey = new ChunkCipher(FileKey.generate(), suite)) {
            assertThatThrownBy(() -> wrongSuite.openChunk(41, sealed, sealed.length, out)).isInstanceOf(AEADBadTagException.class);
            assertThatThrownBy(() -> wrongKey.openChunk(41, sealed, sealed.length, out)).isInstanceOf(AEADBadTagException.class);
        }
    }

    @Test
    void theJdkAndOpenSslAesGcmSealTheSameBytesSoEitherSideMayLackOpenSsl() throws Exception {
        Assumptions.assumeTrue(OpenSslAead.isAvailable(), "OpenSSL 3 libcrypto is not installed here");
        byte[] key = random(32, 2);
        byte[] nonce = random(12, 3);
        byte[] plain = random(CHUNK + 3, 4);
        byte[] byJdk = new byte[plain.length + Aead.TAG_BYTES];
        byte[] byOpenSsl = new byte[plain.length + Aead.TAG_BYTES];
        Aead jdk = new JdkAes256Gcm(key);
        Aead openSsl = new OpenSslAes256Gcm(key);
        jdk.seal(nonce, null, plain, 0, plain.length, byJdk, 0);
        openSsl.seal(nonce, null, plain, 0, plain.length, byOpenSsl, 0);
        assertThat(byJdk).isEqualTo(byOpenSsl);
        // Sealing the same chunk twice in a row (a re-request) is allowed and gives the same bytes.
        byte[] again = new byte[byJdk.length];
        jdk.seal(nonce, null, plain, 0, plain.length, again, 0);
        assertThat(again).isEqualTo(byJdk);

        byte[] out = new byte[plain.length];
        assertThat(jdk.open(nonce, null, byOpenSsl, 0, byOpenSsl.length, out, 0)).isEqualTo(plain.length);
        assertThat(out).isEqualTo(plain);
        byOpenSsl[7] ^= 1;
        assertThatThrownBy(() -> jdk.open(nonce, null, byOpenSsl, 0, byOpenSsl.length, out, 0)).isInstanceOf(AEADBadTagException.class);
        assertThat(out).containsOnly(0);
    }

    @Test
    void theChoiceIsOneOfTheSuitesAndStable() {
        assertThat(ChunkCipherSuite.fastest()).isIn((Object[]) ChunkCipherSuite.values()).isSameAs(ChunkCipherSuite.fastest());
        assertThat(ChunkCipherSuite.ofCode(ChunkCipherSuite.AES_256_GCM.code)).isEqualTo(ChunkCipherSuite.AES_256_GCM);
        assertThat(ChunkCipherSuite.ofCode(0)).isNull();
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
