package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz targets for the reading side of Noise: arbitrary bytes as handshake message 2 (to the
 * initiator) and 3 (to the responder), arbitrary payloads encrypted correctly inside those messages
 * (so that payload decoding and authentication are reached), and arbitrary transport frames, some
 * encrypted correctly, into a {@link NoiseSecureChannel}. Every failure must be a
 * {@link PeerFaultException} (or {@link ConnectionClosedException} at a clean end of stream).
 * The keys are those of Vector B, so findings reproduce. See {@link FuzzChecks}.
 */
class NoiseFuzzTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Aead.Factory AEAD = Aead.CHACHA20_POLY1305;
    /** The largest message a BE16 frame can carry. */
    private static final int MAX_MESSAGE = NoiseFrames.MAX_MESSAGE_BYTES;
    /** Frames per transport script: enough to mix good and bad frames, few enough to stay fast. */
    private static final int MAX_SEGMENTS = 16;

    @FuzzTest
    void message2FromResponder(byte[] message) throws PeerFaultException {
        if (message.length > MAX_MESSAGE) {
            return;
        }
        NoiseHandshake initiator = VectorB.initiator(VectorB.initiatorNoise(AEAD));
        initiator.writeMessage();
        try {
            initiator.readMessage(message, 0, message.length);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        initiator.writeMessage();
        finishes(initiator);
    }

    @FuzzTest
    void message3FromInitiator(byte[] message) throws PeerFaultException {
        if (message.length > MAX_MESSAGE) {
            return;
        }
        NoiseHandshake responder = VectorB.responder(VectorB.responderNoise(AEAD));
        byte[] frame1 = HEX.parseHex(VectorB.FRAME_1);
        responder.readMessage(frame1, NoiseFrames.HEADER_BYTES, frame1.length - NoiseFrames.HEADER_BYTES);
        responder.writeMessage();
        try {
            responder.readMessage(message, 0, message.length);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        finishes(responder);
    }

    /** The responder's payload, whatever it is, arrives correctly encrypted in message 2. */
    @FuzzTest
    void message2Payload(byte[] payload) throws PeerFaultException {
        HandshakeState responderNoise = VectorB.responderNoise(AEAD);
        byte[] message2 = responderMessage2(responderNoise, payload);
        if (message2 == null) {
            return;
        }
        NoiseHandshake initiator = VectorB.initiator(VectorB.initiatorNoise(AEAD));
        byte[] message1 = initiator.writeMessage();
        assertThat(message1).isEqualTo(Arrays.copyOfRange(HEX.parseHex(VectorB.FRAME_1), 2, 34));
        try {
            initiator.readMessage(message2, 0, message2.length);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        initiator.writeMessage();
        NoiseHandshake.Result result = finishes(initiator);
        if (result != null) {
            assertThat(result.remotePeer()).isEqualTo(VectorB.RESPONDER_PEER);
        }
    }

    /** The initiator's payload, whatever it is, arrives correctly encrypted in message 3. */
    @FuzzTest
    void message3Payload(byte[] payload) throws PeerFaultException {
        if (payload.length > MAX_MESSAGE - 64) {
            return;
        }
        HandshakeState initiatorNoise = VectorB.initiatorNoise(AEAD);
        NoiseHandshake responder = VectorB.responder(VectorB.responderNoise(AEAD));
        byte[] message1 = initiatorNoise.writeMessage(new byte[0]);
        responder.readMessage(message1, 0, message1.length);
        byte[] message2 = responder.writeMessage();
        initiatorNoise.readMessage(message2, 0, message2.length);
        byte[] message3 = initiatorNoise.writeMessage(payload);
        try {
            responder.readMessage(message3, 0, message3.length);
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        NoiseHandshake.Result result = finishes(responder);
        if (result != null) {
            assertThat(PeerId.fromPublicKey(result.remoteKey())).isEqualTo(result.remotePeer());
        }
    }

    /**
     * Transport frames after a real handshake: good frames (encrypted with the peer's key), frames
     * with a bad tag and raw bytes, in any order. The channel delivers exactly the plaintext of
     * the good frames before the first bad byte, then fails with a {@link PeerFaultException} and
     * closes, or reaches a clean end of stream if nothing bad came.
     */
    @FuzzTest
    void transportFrames(FuzzedDataProvider data) throws IOException {
        NoiseHandshake.Result[] results = handshake();
        CipherState peerSend = results[0].ciphers().send();
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        ByteArrayOutputStream goodPlaintext = new ByteArrayOutputStream();
        boolean bad = false;
        for (int i = 0; i < MAX_SEGMENTS && data.remainingBytes() > 0; i++) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> {
                    byte[] plaintext = pattern(data.consumeInt(0, NoiseFrames.MAX_PLAINTEXT_BYTES), data.consumeByte());
                    byte[] frame = new byte[NoiseFrames.HEADER_BYTES + plaintext.length + Aead.TAG_BYTES];
                    NoiseFrames.putHeader(frame, 0, plaintext.length + Aead.TAG_BYTES);
                    peerSend.encryptWithAd(null, plaintext, 0, plaintext.length, frame, NoiseFrames.HEADER_BYTES);
                    script.writeBytes(frame);
                    if (!bad) {
                        goodPlaintext.writeBytes(plaintext);
                    }
                }
                case 1 -> {
                    byte[] body = data.consumeBytes(data.consumeInt(0, 64));
                    script.writeBytes(NoiseFrames.frame(body));
                    bad = true;
                }
                default -> {
                    byte[] raw = data.consumeBytes(data.consumeInt(0, 8));
                    script.writeBytes(raw);
                    bad |= raw.length > 0;
                }
            }
        }
        int readSize = data.consumeInt(1, NoiseFrames.MAX_PLAINTEXT_BYTES + 1);

        ScriptedRaw raw = new ScriptedRaw(script.toByteArray());
        NoiseSecureChannel channel = new NoiseSecureChannel(raw, new NoiseFrameReader(raw.in()), results[1]);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize];
        try {
            int n;
            while ((n = channel.in().read(buffer, 0, buffer.length)) >= 0) {
                received.write(buffer, 0, n);
            }
            assertThat(bad).as("clean end of stream after bad bytes").isFalse();
            assertThat(received.toByteArray()).isEqualTo(goodPlaintext.toByteArray());
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            assertThat(bad).as("failed without bad bytes: %s", e.getMessage()).isTrue();
            assertThat(channel.isClosed()).isTrue();
            assertThat(raw.isClosed()).isTrue();
            assertThat(received.toByteArray()).isEqualTo(goodPlaintext.toByteArray());
        }
    }

    /** Message 2 as the responder writes it with {@code payload}, or null if it would not fit a frame. */
    private static byte[] responderMessage2(HandshakeState responderNoise, byte[] payload) throws PeerFaultException {
        if (payload.length > MAX_MESSAGE - 96) {
            return null;
        }
        byte[] frame1 = HEX.parseHex(VectorB.FRAME_1);
        responderNoise.readMessage(frame1, NoiseFrames.HEADER_BYTES, frame1.length - NoiseFrames.HEADER_BYTES);
        return responderNoise.writeMessage(payload);
    }

    /** The Vector B handshake in memory: the initiator's result, then the responder's. */
    private static NoiseHandshake.Result[] handshake() throws PeerFaultException {
        NoiseHandshake initiator = VectorB.initiator(VectorB.initiatorNoise(AEAD));
        NoiseHandshake responder = VectorB.responder(VectorB.responderNoise(AEAD));
        byte[] m1 = initiator.writeMessage();
        responder.readMessage(m1, 0, m1.length);
        byte[] m2 = responder.writeMessage();
        initiator.readMessage(m2, 0, m2.length);
        byte[] m3 = initiator.writeMessage();
        responder.readMessage(m3, 0, m3.length);
        return new NoiseHandshake.Result[] {initiator.finish(), responder.finish()};
    }

    /** The handshake's result, or null if the muxer lists had nothing in common (a typed failure). */
    private static NoiseHandshake.Result finishes(NoiseHandshake handshake) {
        try {
            NoiseHandshake.Result result = handshake.finish();
            assertThat(result.remotePeer()).isNotNull();
            assertThat(result.remotePeer().matches(result.remoteKey())).isTrue();
            return result;
        } catch (PeerFaultException e) {
            FuzzChecks.requireClearMessage(e);
            return null;
        }
    }

    private static byte[] pattern(int length, byte seed) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (seed + i);
        }
        return out;
    }
}
