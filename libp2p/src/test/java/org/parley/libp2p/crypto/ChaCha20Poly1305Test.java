package org.parley.libp2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both {@link Aead} implementations against RFC 8439 §2.8.2 and against each other. */
class ChaCha20Poly1305Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] NONCE = HEX.parseHex("070000004041424344454647");
    private static final byte[] AD = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
            + " for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    private static final String CIPHERTEXT_AND_TAG = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
            + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
            + "1ae10b594f09e26a7e902ecbd0600691";

    static Stream<Aead.Factory> aeads() {
        return Stream.of(JdkChaCha20Poly1305::new, SodiumChaCha20Poly1305::new, OpenSslChaCha20Poly1305::new);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void sealsAndOpensTheRfc8439Vector(Aead.Factory factory) throws Exception {
        Aead aead = factory.create(KEY);
        byte[] sealed = new byte[PLAINTEXT.length + Aead.TAG_BYTES];
        assertThat(aead.seal(NONCE, AD, PLAINTEXT, 0, PLAINTEXT.length, sealed, 0)).isEqualTo(sealed.length);
        assertThat(HEX.formatHex(sealed)).isEqualTo(CIPHERTEXT_AND_TAG);

        byte[] opened = new byte[PLAINTEXT.length];
        assertThat(aead.open(NONCE, AD, sealed, 0, sealed.length, opened, 0)).isEqualTo(PLAINTEXT.length);
        assertThat(opened).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void worksBetweenOffsetsOfLargerBuffers(Aead.Factory factory) throws Exception {
        Aead aead = factory.create(KEY);
        byte[] in = new byte[100 + PLAINTEXT.length + 50];
        System.arraycopy(PLAINTEXT, 0, in, 100, PLAINTEXT.length);
        byte[] out = new byte[7 + PLAINTEXT.length + Aead.TAG_BYTES + 9];
        aead.seal(NONCE, AD, in, 100, PLAINTEXT.length, out, 7);
        assertThat(HEX.formatHex(out, 7, 7 + PLAINTEXT.length + Aead.TAG_BYTES)).isEqualTo(CIPHERTEXT_AND_TAG);
        assertThat(Arrays.copyOfRange(out, out.length - 9, out.length)).containsOnly(0);

        byte[] back = new byte[3 + PLAINTEXT.length + 3];
        aead.open(NONCE, AD, out, 7, PLAINTEXT.length + Aead.TAG_BYTES, back, 3);
        assertThat(Arrays.copyOfRange(back, 3, 3 + PLAINTEXT.length)).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void sealsAndOpensInPlace(Aead.Factory factory) throws Exception {
        Aead aead = factory.create(KEY);
        byte[] buffer = new byte[2 + PLAINTEXT.length + Aead.TAG_BYTES];
        System.arraycopy(PLAINTEXT, 0, buffer, 2, PLAINTEXT.length);
        aead.seal(NONCE, AD, buffer, 2, PLAINTEXT.length, buffer, 2);
        assertThat(HEX.formatHex(buffer, 2, buffer.length)).isEqualTo(CIPHERTEXT_AND_TAG);

        assertThat(aead.open(NONCE, AD, buffer, 2, buffer.length - 2, buffer, 2)).isEqualTo(PLAINTEXT.length);
        assertThat(Arrays.copyOfRange(buffer, 2, 2 + PLAINTEXT.length)).isEqualTo(PLAINTEXT);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsATamperedTagWithoutWritingPlaintext(Aead.Factory factory) {
        Aead aead = factory.create(KEY);
        byte[] sealed = HEX.parseHex(CIPHERTEXT_AND_TAG);
        sealed[sealed.length - 1] ^= 1;
        byte[] out = new byte[PLAINTEXT.length];

        assertThatThrownBy(() -> aead.open(NONCE, AD, sealed, 0, sealed.length, out, 0))
                .isInstanceOf(AEADBadTagException.class);
        assertThat(out).containsOnly(0);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsCiphertextShorterThanTheTag(Aead.Factory factory) {
        Aead aead = factory.create(KEY);
        assertThatThrownBy(() -> aead.open(NONCE, null, new byte[15], 0, 15, new byte[0], 0))
                .isInstanceOf(AEADBadTagException.class)
                .hasMessage("ciphertext of 15 bytes is shorter than the 16-byte tag");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void refusesUseAfterDestroy(Aead.Factory factory) {
        Aead aead = factory.create(KEY);
        aead.destroy();
        assertThatThrownBy(() -> aead.seal(NONCE, null, PLAINTEXT, 0, 1, new byte[17], 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ChaCha20-Poly1305 key was destroyed");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsAKeyOfTheWrongSize(Aead.Factory factory) {
        assertThatThrownBy(() -> factory.create(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ChaCha20-Poly1305 key must be 32 bytes, got 31");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void interoperatesWithTheOtherImplementationOnAFullFrame(Aead.Factory factory) throws Exception {
        byte[] data = new byte[65519];
        new Random(9).nextBytes(data);
        byte[] sealed = new byte[data.length + Aead.TAG_BYTES];
        factory.create(KEY).seal(NONCE, null, data, 0, data.length, sealed, 0);

        Aead other = factory.create(KEY) instanceof JdkChaCha20Poly1305
                ? new SodiumChaCha20Poly1305(KEY)
                : new JdkChaCha20Poly1305(KEY);
        byte[] opened = new byte[data.length];
        other.open(NONCE, null, sealed, 0, sealed.length, opened, 0);
        assertThat(opened).isEqualTo(data);
    }
}
