package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;

/**
 * Vector A of docs/libp2p-wire.md §4: the cacophony entry {@code Noise_XX_25519_ChaChaPoly_SHA256}
 * from mcginty/snow:tests/vectors/cacophony.txt, run against both AEAD implementations.
 */
class HandshakeStateTest {

    private static final HexFormat HEX = HexFormat.of();

    static final byte[] PROLOGUE = "John Galt".getBytes(StandardCharsets.US_ASCII);
    static final String INIT_STATIC = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
    static final String INIT_EPHEMERAL = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
    static final String RESP_STATIC = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
    static final String RESP_EPHEMERAL = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
    private static final String HANDSHAKE_HASH = "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";

    /** {payload, ciphertext}; messages alternate initiator, responder, initiator, ... */
    private static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
         "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
        {"4d757272617920526f746862617264",
         "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a"
                + "8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c9326ad"},
        {"462e20412e20486179656b",
         "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec82a2"
                + "86427402f113e4b6ae769a1d95941d49b25030"},
        {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
        {"4a65616e2d426170746973746520536179", "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"},
        {"457567656e2042f6686d20766f6e2042617765726b",
         "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"},
    };

    static Stream<Aead.Factory> aeads() {
        return Stream.of(JdkChaCha20Poly1305::new, SodiumChaCha20Poly1305::new);
    }

    static HandshakeState initiator(byte[] prologue, Aead.Factory aead) {
        return HandshakeState.withFixedEphemeral(true, key(INIT_STATIC), prologue, aead, key(INIT_EPHEMERAL));
    }

    static HandshakeState responder(byte[] prologue, Aead.Factory aead) {
        return HandshakeState.withFixedEphemeral(false, key(RESP_STATIC), prologue, aead, key(RESP_EPHEMERAL));
    }

    static X25519.KeyPair key(String hex) {
        return X25519.fromPrivate(HEX.parseHex(hex));
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void reproducesCacophonyVectorByteForByte(Aead.Factory aead) throws Exception {
        HandshakeState init = initiator(PROLOGUE, aead);
        HandshakeState resp = responder(PROLOGUE, aead);

        for (int i = 0; i < HandshakeState.MESSAGE_COUNT; i++) {
            HandshakeState sender = i % 2 == 0 ? init : resp;
            HandshakeState receiver = i % 2 == 0 ? resp : init;
            byte[] message = sender.writeMessage(HEX.parseHex(MESSAGES[i][0]));
            assertThat(HEX.formatHex(message)).as("handshake message %d", i).isEqualTo(MESSAGES[i][1]);
            byte[] payload = receiver.readMessage(message, 0, message.length);
            assertThat(HEX.formatHex(payload)).isEqualTo(MESSAGES[i][0]);
        }
        assertThat(init.isComplete()).isTrue();
        assertThat(resp.isComplete()).isTrue();
        assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
        assertThat(HEX.formatHex(resp.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
        assertThat(init.remoteStatic()).isEqualTo(key(RESP_STATIC).publicKey());
        assertThat(resp.remoteStatic()).isEqualTo(key(INIT_STATIC).publicKey());

        HandshakeState.TransportCiphers initCiphers = init.split();
        HandshakeState.TransportCiphers respCiphers = resp.split();
        for (int i = HandshakeState.MESSAGE_COUNT; i < MESSAGES.length; i++) {
            CipherState send = i % 2 == 0 ? initCiphers.send() : respCiphers.send();
            CipherState receive = i % 2 == 0 ? respCiphers.receive() : initCiphers.receive();
            byte[] plaintext = HEX.parseHex(MESSAGES[i][0]);
            byte[] ciphertext = new byte[plaintext.length + Aead.TAG_BYTES];
            send.encryptWithAd(null, plaintext, 0, plaintext.length, ciphertext, 0);
            assertThat(HEX.formatHex(ciphertext)).as("transport message %d", i).isEqualTo(MESSAGES[i][1]);
            byte[] decrypted = new byte[plaintext.length];
            receive.decryptWithAd(null, ciphertext, 0, ciphertext.length, decrypted, 0);
            assertThat(decrypted).isEqualTo(plaintext);
        }
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsTamperedStaticKeyInMessageTwo(Aead.Factory aead) throws Exception {
        HandshakeState init = initiator(PROLOGUE, aead);
        HandshakeState resp = responder(PROLOGUE, aead);
        byte[] m1 = init.writeMessage(new byte[0]);
        resp.readMessage(m1, 0, m1.length);
        byte[] m2 = resp.writeMessage(new byte[0]);
        m2[40] ^= 1;

        assertThatThrownBy(() -> init.readMessage(m2, 0, m2.length))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 2 static key failed authentication");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsTamperedPayloadInMessageThree(Aead.Factory aead) throws Exception {
        HandshakeState init = initiator(PROLOGUE, aead);
        HandshakeState resp = responder(PROLOGUE, aead);
        byte[] m1 = init.writeMessage(new byte[0]);
        resp.readMessage(m1, 0, m1.length);
        byte[] m2 = resp.writeMessage(new byte[0]);
        init.readMessage(m2, 0, m2.length);
        byte[] m3 = init.writeMessage(new byte[] {1, 2, 3});
        m3[m3.length - 1] ^= 0x40;

        assertThatThrownBy(() -> resp.readMessage(m3, 0, m3.length))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 3 payload failed authentication");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsDifferentPrologue(Aead.Factory aead) throws Exception {
        HandshakeState init = initiator(PROLOGUE, aead);
        HandshakeState resp = responder(new byte[0], aead);
        byte[] m1 = init.writeMessage(new byte[0]);
        resp.readMessage(m1, 0, m1.length);
        byte[] m2 = resp.writeMessage(new byte[0]);

        assertThatThrownBy(() -> init.readMessage(m2, 0, m2.length))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 2 static key failed authentication");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsShortMessages(Aead.Factory aead) throws Exception {
        HandshakeState resp = responder(PROLOGUE, aead);
        assertThatThrownBy(() -> resp.readMessage(new byte[31], 0, 31))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 1 of 31 bytes is shorter than the 32-byte minimum (ephemeral key)");

        HandshakeState init = initiator(PROLOGUE, aead);
        init.writeMessage(new byte[0]);
        assertThatThrownBy(() -> init.readMessage(new byte[95], 0, 95))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 2 of 95 bytes is shorter than the 96-byte minimum"
                        + " (ephemeral key, encrypted static key, payload tag)");
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void rejectsLowOrderEphemeralKey(Aead.Factory aead) throws Exception {
        HandshakeState resp = responder(PROLOGUE, aead);
        byte[] lowOrder = new byte[32];
        resp.readMessage(lowOrder, 0, lowOrder.length);

        assertThatThrownBy(() -> resp.writeMessage(new byte[0]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("remote X25519 key is a low-order point (all-zero shared secret)");
    }
}
