package org.parley.libp2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.JdkChaCha20Poly1305;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.memory.MemoryPipe;

/** Handshakes and transport between two {@link NoiseTransport}s over in-memory pipes and scripted peers. */
class NoiseTransportTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> YAMUX = List.of("/yamux/1.0.0");

    private final NoisePeers peers = new NoisePeers();
    private final MemoryPipe.Pair pipe = MemoryPipe.pair();

    @Test
    void authenticatesBothPeersAndCarriesDataBothWays() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), peers.listenerId(), YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();

        assertThat(dialer.remotePeer()).isEqualTo(peers.listenerId());
        assertThat(dialer.remotePublicKey()).isEqualTo(peers.listenerKey.publicKey());
        assertThat(listener.remotePeer()).isEqualTo(peers.dialerId());
        assertThat(listener.remotePublicKey()).isEqualTo(peers.dialerKey.publicKey());
        assertThat(dialer.earlyMuxer()).isEqualTo("/yamux/1.0.0");
        assertThat(listener.earlyMuxer()).isEqualTo("/yamux/1.0.0");

        dialer.out().write("ping".getBytes());
        dialer.out().flush();
        assertThat(listener.in().readNBytes(4)).isEqualTo("ping".getBytes());
        listener.out().write("pong".getBytes());
        listener.out().flush();
        assertThat(dialer.in().readNBytes(4)).isEqualTo("pong".getBytes());

        dialer.out().close();
        assertThat(listener.in().read()).isEqualTo(-1);
        dialer.close();
        listener.close();
    }

    @Test
    void transfersTenMebibytesIntactInBothDirectionsAtOnce() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();
        byte[] up = new byte[10 * 1024 * 1024];
        byte[] down = new byte[10 * 1024 * 1024 + 12345];
        new Random(1).nextBytes(up);
        new Random(2).nextBytes(down);

        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(listener), r -> Thread.ofVirtual().start(r));
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                writeInOddPieces(listener, down);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writeInOddPieces(dialer, up);
        byte[] fromListener = readAll(dialer);
        sender.join();

        assertThat(Arrays.equals(received.get(), up)).as("10 MiB from dialer arrive intact").isTrue();
        assertThat(Arrays.equals(fromListener, down)).as("10 MiB from listener arrive intact").isTrue();
    }

    @Test
    void writesOneFrameOfAtMost65535BytesPerUnderlyingWrite() throws Exception {
        TappedDuplex tapped = new TappedDuplex(pipe.initiator());
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(tapped, null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();
        int handshakeWrites = tapped.writeCount();
        int handshakeBytes = tapped.written().length;

        byte[] data = new byte[200_000];
        new Random(3).nextBytes(data);
        dialer.out().write(data, 0, 100);
        dialer.out().write(data, 100, data.length - 100);
        dialer.out().flush();
        assertThat(listener.in().readNBytes(data.length)).isEqualTo(data);

        byte[] wire = Arrays.copyOfRange(tapped.written(), handshakeBytes, tapped.written().length);
        List<Integer> frames = frameLengths(wire);
        assertThat(frames).containsExactly(65535, 65535, 65535, 200_000 - 3 * 65519 + 16);
        assertThat(tapped.writeCount() - handshakeWrites).isEqualTo(4);
    }

    @Test
    void growsTheOutputBufferForBulkWritesAndShrinksItOnceSmallFramesFollow() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();
        NoiseChannelOutput out = (NoiseChannelOutput) dialer.out();
        assertThat(out.bufferSize()).isEqualTo(NoiseChannelOutput.SMALL_BUFFER_BYTES);

        byte[] bulk = new byte[100_000];
        new Random(5).nextBytes(bulk);
        out.write(bulk);
        out.flush();
        assertThat(listener.in().readNBytes(bulk.length)).isEqualTo(bulk);
        assertThat(out.bufferSize()).isEqualTo(NoiseChannelOutput.LARGE_BUFFER_BYTES);

        for (int i = 0; i < NoiseChannelOutput.SHRINK_AFTER_SMALL_FRAMES; i++) {
            out.write(i);
            out.flush();
            assertThat(listener.in().read()).isEqualTo(i);
        }
        assertThat(out.bufferSize()).isEqualTo(NoiseChannelOutput.SMALL_BUFFER_BYTES);
    }

    @Test
    void buffersSmallWritesIntoOneFrameUntilFlush() throws Exception {
        TappedDuplex tapped = new TappedDuplex(pipe.initiator());
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(tapped, null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();
        int handshakeWrites = tapped.writeCount();
        int handshakeBytes = tapped.written().length;

        for (int i = 0; i < 100; i++) {
            dialer.out().write(i);
        }
        assertThat(tapped.writeCount()).as("nothing sent before flush").isEqualTo(handshakeWrites);
        dialer.out().flush();

        assertThat(tapped.writeCount()).isEqualTo(handshakeWrites + 1);
        assertThat(frameLengths(Arrays.copyOfRange(tapped.written(), handshakeBytes, tapped.written().length)))
                .containsExactly(100 + 16);
        byte[] received = listener.in().readNBytes(100);
        for (int i = 0; i < 100; i++) {
            assertThat(received[i]).isEqualTo((byte) i);
        }
    }

    @Test
    void refusesWritesAfterTheOutputIsClosed() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();

        dialer.out().write(7);
        dialer.out().close();
        assertThatThrownBy(() -> dialer.out().write(8))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("Noise channel output is closed");
        assertThat(listener.in().read()).isEqualTo(7);
        assertThat(listener.in().read()).isEqualTo(-1);
        listener.out().write("still open".getBytes());
        listener.out().flush();
        assertThat(dialer.in().readNBytes(10)).isEqualTo("still open".getBytes());
    }

    @Test
    void closingWakesABlockedReader() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return listener.in().read();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, r -> Thread.ofVirtual().start(r));

        listener.close();

        assertThat(NoisePeers.outcome(read).failure())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("Noise channel to " + peers.dialerId() + " is closed");
        assertThat(dialer.in().read()).as("the dialer sees the connection end").isEqualTo(-1);
    }

    @Test
    void failsWhenTheListenerIsNotTheExpectedPeer() throws Exception {
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);

        assertThatThrownBy(() -> peers.dialer.secureOutbound(pipe.initiator(), someoneElse, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("remote peer is " + peers.listenerId() + ", expected " + someoneElse);
        assertThat(NoisePeers.outcome(accepted).failure())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection closed during the Noise handshake, before message 3");
    }

    @Test
    void failsWhenTheSignatureDoesNotCoverTheStaticKey() throws Exception {
        // The responder signs some other static key than the one it uses.
        byte[] otherStatic = X25519.generate().publicKey();
        byte[] badSig = NoiseHandshake.signStaticKey(peers.listenerKey, otherStatic);
        byte[] payload = NoiseHandshake.encodePayload(peers.listenerKey, badSig, YAMUX);
        NoiseHandshake liar = new NoiseHandshake(
                new HandshakeState(false, X25519.generate(), new byte[0], Aead.CHACHA20_POLY1305), payload, YAMUX, null);
        CompletableFuture<NoiseSecureChannel> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return NoiseTransport.run(pipe.responder(), liar, NoisePeers.TIMEOUT);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));

        assertThatThrownBy(() -> peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake identity_sig of peer " + peers.listenerId()
                        + " does not sign its Noise static key");
        assertThat(NoisePeers.outcome(accepted).failure()).hasRootCauseInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void responderRejectsAnInitiatorWithABadSignature() throws Exception {
        // The dialer's payload carries a signature over 32 zero bytes instead of its static key.
        byte[] badSig = NoiseHandshake.signStaticKey(peers.dialerKey, new byte[32]);
        NoiseHandshake liar = new NoiseHandshake(
                new HandshakeState(true, X25519.generate(), new byte[0], Aead.CHACHA20_POLY1305),
                NoiseHandshake.encodePayload(peers.dialerKey, badSig, YAMUX), YAMUX, null);
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);

        NoiseSecureChannel dialer = NoiseTransport.run(pipe.initiator(), liar, NoisePeers.TIMEOUT);
        assertThat(NoisePeers.outcome(accepted).failure())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake identity_sig of peer " + peers.dialerId() + " does not sign its Noise static key");
        assertThat(dialer.in().read()).isEqualTo(-1);
    }

    @Test
    void timesOutWhenThePeerStaysSilent() {
        Duration timeout = Duration.ofMillis(300);
        assertThatThrownBy(() -> peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, timeout))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("Noise handshake timed out after 300 ms");
        assertThatThrownBy(() -> pipe.initiator().out().write(1))
                .as("the raw connection is closed")
                .isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void listenerTimesOutWhenTheDialerStaysSilent() {
        assertThatThrownBy(() -> peers.listener.secureInbound(pipe.responder(), YAMUX, Duration.ofMillis(200)))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("Noise handshake timed out after 200 ms");
    }

    @Test
    void readsTransportFramesThatArriveTogetherWithTheLastHandshakeMessage() throws Exception {
        // Vector B's initiator bytes, all readable in one read: frame 1, frame 3 and two transport frames.
        ScriptedRaw raw = new ScriptedRaw(HEX.parseHex(
                VectorB.FRAME_1 + VectorB.FRAME_3 + VectorB.TRANSPORT_0 + VectorB.TRANSPORT_1));
        NoiseSecureChannel responder = NoiseTransport.run(
                raw, VectorB.responder(VectorB.responderNoise(JdkChaCha20Poly1305::new)), NoisePeers.TIMEOUT);

        byte[] mss = HEX.parseHex(VectorB.MSS_HEADER);
        assertThat(responder.in().readNBytes(mss.length)).isEqualTo(mss);
        assertThat(responder.in().readNBytes(mss.length)).isEqualTo(mss);
        assertThat(responder.in().read()).isEqualTo(-1);
        assertThat(HEX.formatHex(((ByteArrayOutputStream) raw.out()).toByteArray())).isEqualTo(VectorB.FRAME_2);
    }

    @Test
    void rejectsTamperedCiphertextAndClosesTheChannel() throws Exception {
        TappedDuplex tapped = new TappedDuplex(pipe.initiator());
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), YAMUX);
        SecureChannel dialer = peers.dialer.secureOutbound(tapped, null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();

        tapped.flipByteAfter(5);
        dialer.out().write("hello".getBytes());
        dialer.out().flush();

        assertThatThrownBy(() -> listener.in().read(new byte[100]))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise transport frame of 21 bytes failed authentication");
        assertThatThrownBy(() -> listener.in().read())
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("Noise channel to " + peers.dialerId() + " is closed");
        assertThat(dialer.in().read()).as("the dialer sees the connection end").isEqualTo(-1);
    }

    @Test
    void rejectsATransportFrameShorterThanTheTag() throws Exception {
        SecureChannel listener = vectorBResponderReceiving("0005" + "0102030405");
        assertThatThrownBy(() -> listener.in().read())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise transport frame of 5 bytes is shorter than the 16-byte tag");
    }

    @Test
    void rejectsATruncatedTransportFrame() throws Exception {
        SecureChannel listener = vectorBResponderReceiving("0024" + "670afd442e0c4ead4470");
        assertThatThrownBy(() -> listener.in().read())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise frame truncated: the stream ended after 10 of 36 bytes");
    }

    @Test
    void rejectsATruncatedLengthPrefix() throws Exception {
        SecureChannel listener = vectorBResponderReceiving("00");
        assertThatThrownBy(() -> listener.in().read())
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise frame truncated: the stream ended after 1 of 2 length bytes");
    }

    @Test
    void rejectsATruncatedHandshakeMessageAndClosesTheConnection() {
        ScriptedRaw raw = new ScriptedRaw(HEX.parseHex("0020ca35def5ae56"));
        assertThatThrownBy(() -> peers.listener.secureInbound(raw, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise frame truncated: the stream ended after 6 of 32 bytes");
        assertThat(raw.isClosed()).isTrue();
    }

    @Test
    void rejectsAFirstMessageWithAnOversizedPayload() {
        int length = 32 + NoiseHandshakePayload.MAX_BYTES + 1;
        byte[] frame = new byte[2 + length];
        NoiseFrames.putHeader(frame, 0, length);
        frame[2] = 9;
        ScriptedRaw raw = new ScriptedRaw(frame);
        assertThatThrownBy(() -> peers.listener.secureInbound(raw, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 1 carries a payload of 8193 bytes, above the 8192-byte limit");
    }

    @Test
    void rejectsAShortSecondMessage() {
        ScriptedRaw raw = new ScriptedRaw(HEX.parseHex("0003010203"));
        assertThatThrownBy(() -> peers.dialer.secureOutbound(raw, null, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("Noise handshake message 2 of 3 bytes is shorter than the 96-byte minimum"
                        + " (ephemeral key, encrypted static key, payload tag)");
    }

    @Test
    void reportsAConnectionThatEndsBeforeTheHandshake() {
        ScriptedRaw raw = new ScriptedRaw(new byte[0]);
        assertThatThrownBy(() -> peers.listener.secureInbound(raw, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection closed during the Noise handshake, before message 1");
    }

    @Test
    void agreesOnTheInitiatorsFirstChoiceThatTheResponderListed() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), List.of("/yamux/1.0.0", "/mplex/6.7.0"));
        SecureChannel dialer = peers.dialer.secureOutbound(
                pipe.initiator(), null, List.of("/mplex/6.7.0", "/yamux/1.0.0"), NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();

        assertThat(dialer.earlyMuxer()).isEqualTo("/mplex/6.7.0");
        assertThat(listener.earlyMuxer()).isEqualTo("/mplex/6.7.0");
        assertThat(dialer.remoteMuxers()).containsExactly("/yamux/1.0.0", "/mplex/6.7.0");
        assertThat(listener.remoteMuxers()).containsExactly("/mplex/6.7.0", "/yamux/1.0.0");
    }

    @Test
    void leavesTheMuxerToMultistreamSelectWhenOneSideListsNone() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), List.of());
        SecureChannel dialer = peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT);
        SecureChannel listener = NoisePeers.outcome(accepted).value();

        assertThat(dialer.earlyMuxer()).isNull();
        assertThat(listener.earlyMuxer()).isNull();
        assertThat(dialer.remoteMuxers()).isEmpty();
        assertThat(listener.remoteMuxers()).containsExactly("/yamux/1.0.0");
    }

    @Test
    void failsBothSidesWhenTheMuxerListsAreDisjoint() throws Exception {
        CompletableFuture<SecureChannel> accepted = peers.accept(pipe.responder(), List.of("/mplex/6.7.0"));
        String expected = "no common stream muxer in the Noise handshake: initiator listed [/yamux/1.0.0],"
                + " responder listed [/mplex/6.7.0]";

        assertThatThrownBy(() -> peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, NoisePeers.TIMEOUT))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage(expected);
        assertThat(NoisePeers.outcome(accepted).failure()).isInstanceOf(PeerFaultException.class).hasMessage(expected);
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> peers.dialer.secureOutbound(pipe.initiator(), null, YAMUX, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Noise handshake timeout must be positive, got PT0S");
    }

    @Test
    void namesItsProtocol() {
        assertThat(peers.dialer.protocolId()).isEqualTo("/noise").isEqualTo(NoiseTransport.PROTOCOL_ID);
    }

    /** A Vector B responder whose peer sends the handshake and then {@code transportHex}. */
    private static SecureChannel vectorBResponderReceiving(String transportHex) throws IOException {
        ScriptedRaw raw = new ScriptedRaw(HEX.parseHex(VectorB.FRAME_1 + VectorB.FRAME_3 + transportHex));
        return NoiseTransport.run(raw, VectorB.responder(VectorB.responderNoise(JdkChaCha20Poly1305::new)), NoisePeers.TIMEOUT);
    }

    private static void writeInOddPieces(SecureChannel channel, byte[] data) throws IOException {
        int[] sizes = {1, 7, 65519, 100_000, 4096, 65520, 3};
        int off = 0;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(sizes[i % sizes.length], data.length - off);
            channel.out().write(data, off, n);
            off += n;
        }
        channel.out().flush();
        channel.out().close();
    }

    private static byte[] readAll(SecureChannel channel) {
        try {
            return channel.in().readAllBytes();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static List<Integer> frameLengths(byte[] wire) {
        List<Integer> lengths = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < wire.length) {
            int length = NoiseFrames.readHeader(wire, pos);
            lengths.add(length);
            pos += 2 + length;
        }
        assertThat(pos).isEqualTo(wire.length);
        return lengths;
    }
}
