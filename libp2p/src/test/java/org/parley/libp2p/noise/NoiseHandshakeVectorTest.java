package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.crypto.SodiumChaCha20Poly1305;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** Vector B (docs/libp2p-wire.md §4), byte for byte, first message by message, then on the wire. */
class NoiseHandshakeVectorTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Aead.Factory> aeads() {
        return Stream.of(JdkChaCha20Poly1305::new, SodiumChaCha20Poly1305::new);
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void reproducesVectorBMessageByMessage(Aead.Factory aead) throws Exception {
        assertThat(PeerId.fromPublicKey(VectorB.INITIATOR_IDENTITY.publicKey())).isEqualTo(VectorB.INITIATOR_PEER);
        assertThat(PeerId.fromPublicKey(VectorB.RESPONDER_IDENTITY.publicKey())).isEqualTo(VectorB.RESPONDER_PEER);
        assertThat(HEX.formatHex(VectorB.responderPayload())).isEqualTo(VectorB.PAYLOAD_R);
        assertThat(HEX.formatHex(VectorB.initiatorPayload())).isEqualTo(VectorB.PAYLOAD_I);

        HandshakeState initNoise = VectorB.initiatorNoise(aead);
        HandshakeState respNoise = VectorB.responderNoise(aead);
        NoiseHandshake init = VectorB.initiator(initNoise);
        NoiseHandshake resp = VectorB.responder(respNoise);
        assertThat(HEX.formatHex(initNoise.handshakeHash())).isEqualTo(VectorB.H_AFTER_PROLOGUE);

        byte[] frame1 = NoiseFrames.frame(init.writeMessage());
        assertThat(HEX.formatHex(frame1)).isEqualTo(VectorB.FRAME_1);
        resp.readMessage(frame1, 2, frame1.length - 2);
        assertThat(HEX.formatHex(respNoise.handshakeHash())).isEqualTo(VectorB.H_AFTER_MESSAGE_1);
        assertThat(respNoise.chainingKey()).isEqualTo(HandshakeState.PROTOCOL_NAME.getBytes());

        byte[] frame2 = NoiseFrames.frame(resp.writeMessage());
        assertThat(HEX.formatHex(frame2)).isEqualTo(VectorB.FRAME_2);
        init.readMessage(frame2, 2, frame2.length - 2);
        assertThat(HEX.formatHex(initNoise.handshakeHash())).isEqualTo(VectorB.H_AFTER_MESSAGE_2);
        assertThat(HEX.formatHex(initNoise.chainingKey())).isEqualTo(VectorB.CK_AFTER_MESSAGE_2);

        byte[] frame3 = NoiseFrames.frame(init.writeMessage());
        assertThat(HEX.formatHex(frame3)).isEqualTo(VectorB.FRAME_3);
        resp.readMessage(frame3, 2, frame3.length - 2);
        for (HandshakeState state : new HandshakeState[] {initNoise, respNoise}) {
            assertThat(HEX.formatHex(state.handshakeHash())).isEqualTo(VectorB.HANDSHAKE_HASH);
            assertThat(HEX.formatHex(state.chainingKey())).isEqualTo(VectorB.FINAL_CK);
        }

        NoiseHandshake.Result initResult = init.finish();
        NoiseHandshake.Result respResult = resp.finish();
        assertThat(initResult.remotePeer()).isEqualTo(VectorB.RESPONDER_PEER);
        assertThat(respResult.remotePeer()).isEqualTo(VectorB.INITIATOR_PEER);
        assertThat(initResult.earlyMuxer()).isEqualTo("/yamux/1.0.0");
        assertThat(respResult.earlyMuxer()).isEqualTo("/yamux/1.0.0");
        assertThat(respResult.remoteMuxers()).containsExactly("/yamux/1.0.0");

        byte[] mss = HEX.parseHex(VectorB.MSS_HEADER);
        assertThat(transportFrame(initResult.ciphers().send(), mss)).isEqualTo(VectorB.TRANSPORT_0);
        assertThat(transportFrame(initResult.ciphers().send(), mss)).isEqualTo(VectorB.TRANSPORT_1);

        // k1 and k2 themselves: an independent AEAD keyed with them must agree with the split ciphers.
        byte[] nonce0 = new byte[Aead.NONCE_BYTES];
        byte[] ct = HEX.parseHex(VectorB.TRANSPORT_0.substring(4));
        byte[] pt = new byte[ct.length - Aead.TAG_BYTES];
        new JdkChaCha20Poly1305(HEX.parseHex(VectorB.K1)).open(nonce0, null, ct, 0, ct.length, pt, 0);
        assertThat(pt).isEqualTo(mss);
        String fromResponder = transportFrame(respResult.ciphers().send(), mss);
        byte[] expected = new byte[mss.length + Aead.TAG_BYTES];
        new JdkChaCha20Poly1305(HEX.parseHex(VectorB.K2)).seal(nonce0, null, mss, 0, mss.length, expected, 0);
        assertThat(fromResponder.substring(4)).isEqualTo(HEX.formatHex(expected));
    }

    @ParameterizedTest
    @MethodSource("aeads")
    void sendsVectorBBytesOnTheWire(Aead.Factory aead) throws Exception {
        MemoryPipe.Pair pipe = MemoryPipe.pair();
        TappedDuplex initRaw = new TappedDuplex(pipe.initiator());
        TappedDuplex respRaw = new TappedDuplex(pipe.responder());
        CompletableFuture<NoiseSecureChannel> responder = CompletableFuture.supplyAsync(() -> {
            try {
                return NoiseTransport.run(respRaw, VectorB.responder(VectorB.responderNoise(aead)), Duration.ofSeconds(10));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        NoiseSecureChannel init = NoiseTransport.run(
                initRaw, VectorB.initiator(VectorB.initiatorNoise(aead)), Duration.ofSeconds(10));
        NoiseSecureChannel resp = responder.get(10, TimeUnit.SECONDS);

        byte[] mss = HEX.parseHex(VectorB.MSS_HEADER);
        init.out().write(mss);
        init.out().flush();
        init.out().write(mss);
        init.out().flush();

        assertThat(resp.in().readNBytes(2 * mss.length)).isEqualTo(concat(mss, mss));
        assertThat(initRaw.writtenHex())
                .isEqualTo(VectorB.FRAME_1 + VectorB.FRAME_3 + VectorB.TRANSPORT_0 + VectorB.TRANSPORT_1);
        assertThat(initRaw.writeCount()).isEqualTo(4);
        assertThat(respRaw.writtenHex()).isEqualTo(VectorB.FRAME_2);
        assertThat(init.remotePeer()).isEqualTo(VectorB.RESPONDER_PEER);
        assertThat(resp.remotePeer()).isEqualTo(VectorB.INITIATOR_PEER);
        assertThat(resp.remotePublicKey()).isEqualTo(VectorB.INITIATOR_IDENTITY.publicKey());
        init.close();
        resp.close();
    }

    private static String transportFrame(CipherState cipher, byte[] plaintext) {
        byte[] frame = new byte[NoiseFrames.HEADER_BYTES + plaintext.length + Aead.TAG_BYTES];
        int n = cipher.encryptWithAd(null, plaintext, 0, plaintext.length, frame, NoiseFrames.HEADER_BYTES);
        NoiseFrames.putHeader(frame, 0, n);
        return HEX.formatHex(frame);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
