package org.parley.libp2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.protocol.TestStreams;
import org.parley.libp2p.protocol.TestStreams.Peer;
import org.parley.libp2p.protocol.identify.pb.IdentifyProtos;
import org.parley.libp2p.record.PeerRecord;

class IdentifyTest {

    private static final Peer DIALER = Peer.generate();
    private static final Peer LISTENER = Peer.generate();
    private static final Peer STRANGER = Peer.generate();

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void shutDown() {
        threads.shutdownNow();
    }

    /** Everything {@code peer} would announce about itself. */
    private static IdentifyInfo infoOf(Peer peer) {
        List<Multiaddr> addresses = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
                Multiaddr.parse("/ip6/::1/udp/4001/quic-v1"));
        return new IdentifyInfo(
                peer.key().publicKey(),
                addresses,
                List.of(Identify.PROTOCOL_ID, Identify.PUSH_PROTOCOL_ID, "/ipfs/ping/1.0.0", "/ipfs/kad/1.0.0"),
                TestStreams.DIALER_ADDRESS,
                "ipfs/0.1.0",
                Identify.AGENT_VERSION,
                SignedPeerRecord.sign(new PeerRecord(peer.id(), 42, addresses), peer.key()));
    }

    private Future<Void> respondWith(TestStreams.Pair streams, IdentifyInfo info) {
        return threads.submit(() -> {
            Identify.respond(streams.listener(), info);
            return null;
        });
    }

    @Test
    void roundTripsAFullInfoThroughRequestAndRespond() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        IdentifyInfo sent = infoOf(LISTENER);
        Future<Void> responded = respondWith(streams, sent);

        IdentifyInfo received = Identify.request(streams.dialer());

        assertThat(received).isEqualTo(sent);
        assertThat(received.signedPeerRecord().record().seq()).isEqualTo(42);
        responded.get(5, TimeUnit.SECONDS);
        assertThat(streams.listener().in().read()).as("the requester sends nothing and half-closes").isEqualTo(-1);
    }

    @Test
    void roundTripsAnInfoThatNeedsSeveralParts() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        List<String> protocols = IntStream.range(0, 120)
                .mapToObj(i -> "/parley/test-protocol/" + i + "/1.0.0").toList();
        IdentifyInfo sent = new IdentifyInfo(LISTENER.key().publicKey(), infoOf(LISTENER).listenAddrs(), protocols,
                null, null, "parley/test", infoOf(LISTENER).signedPeerRecord());
        assertThat(IdentifyCodec.encode(sent)).hasSizeGreaterThan(1);
        respondWith(streams, sent);

        assertThat(Identify.request(streams.dialer())).isEqualTo(sent);
    }

    @Test
    void rejectsAPublicKeyThatIsNotTheConnectedPeers() {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        respondWith(streams, infoOf(STRANGER));

        assertThatThrownBy(() -> Identify.request(streams.dialer()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify public key belongs to " + STRANGER.id() + ", not to the connected peer "
                        + LISTENER.id());
        assertThat(streams.dialer().wasResetHere()).isTrue();
    }

    @Test
    void dropsASignedPeerRecordOfAnotherPeerAndKeepsTheRest() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        IdentifyInfo honest = infoOf(LISTENER);
        IdentifyInfo sent = new IdentifyInfo(honest.publicKey(), honest.listenAddrs(), honest.protocols(),
                honest.observedAddr(), honest.protocolVersion(), honest.agentVersion(),
                infoOf(STRANGER).signedPeerRecord());
        respondWith(streams, sent);

        assertThat(Identify.request(streams.dialer())).isEqualTo(honest.withoutSignedPeerRecord());
    }

    @Test
    void dropsASignedPeerRecordWhoseSignatureDoesNotVerify() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        byte[] envelope = infoOf(LISTENER).signedPeerRecord().envelope();
        envelope[envelope.length - 1] ^= 1;
        byte[] message = IdentifyProtos.Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(LISTENER.key().publicKey().marshal()))
                .setAgentVersion("parley/test")
                .setSignedPeerRecord(ByteString.copyFrom(envelope))
                .build()
                .toByteArray();
        threads.submit(() -> {
            LengthPrefixed.write(streams.listener().out(), message);
            streams.listener().closeWrite();
            return null;
        });

        IdentifyInfo received = Identify.request(streams.dialer());

        assertThat(received.signedPeerRecord()).isNull();
        assertThat(received.publicKey()).isEqualTo(LISTENER.key().publicKey());
        assertThat(received.agentVersion()).isEqualTo("parley/test");
    }

    @Test
    void skipsAGarbageListenAddressInAnAnswer() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        byte[] message = IdentifyProtos.Identify.newBuilder()
                .addListenAddrs(ByteString.fromHex("deadbeef"))
                .addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").bytes()))
                .build()
                .toByteArray();
        threads.submit(() -> {
            LengthPrefixed.write(streams.listener().out(), message);
            streams.listener().closeWrite();
            return null;
        });

        assertThat(Identify.request(streams.dialer()).listenAddrs())
                .containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
    }

    @Test
    void rejectsAnAnswerPartOverTheLimitAndResetsTheStream() {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);
        threads.submit(() -> {
            streams.listener().out().write(HexFormat.of().parseHex("8140"));
            streams.listener().out().flush();
            return null;
        });

        assertThatThrownBy(() -> Identify.request(streams.dialer()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify message part of 8193 bytes exceeds the 8192-byte limit");
        assertThat(streams.dialer().wasResetHere()).isTrue();
    }

    @Test
    void pushCarriesOnlyWhatChanged() throws Exception {
        TestStreams.Pair streams = TestStreams.open(Identify.PUSH_PROTOCOL_ID, DIALER, LISTENER);
        IdentifyInfo change = new IdentifyInfo(null, List.of(), List.of("/ipfs/kad/1.0.0", "/parley/chat/1"),
                null, null, null, null);
        Future<IdentifyInfo> received = threads.submit(() -> Identify.receivePush(streams.listener()));

        Identify.push(streams.dialer(), change);

        IdentifyInfo push = received.get(5, TimeUnit.SECONDS);
        assertThat(push).isEqualTo(change);
        IdentifyInfo before = infoOf(DIALER);
        IdentifyInfo after = before.updatedBy(push);
        assertThat(after.protocols()).containsExactly("/ipfs/kad/1.0.0", "/parley/chat/1");
        assertThat(after.listenAddrs()).isEqualTo(before.listenAddrs());
        assertThat(after.publicKey()).isEqualTo(before.publicKey());
        assertThat(after.signedPeerRecord()).isEqualTo(before.signedPeerRecord());
    }

    @Test
    void receivePushRejectsAKeyOfAnotherPeer() {
        TestStreams.Pair streams = TestStreams.open(Identify.PUSH_PROTOCOL_ID, DIALER, LISTENER);
        threads.submit(() -> {
            Identify.push(streams.dialer(), infoOf(STRANGER));
            return null;
        });

        assertThatThrownBy(() -> Identify.receivePush(streams.listener()))
                .isInstanceOf(PeerFaultException.class)
                .hasMessage("identify public key belongs to " + STRANGER.id() + ", not to the connected peer "
                        + DIALER.id());
    }

    @Test
    void requestGivesUpWhenTheAnswerDoesNotEnd() {
        TestStreams.Pair streams = TestStreams.open(Identify.PROTOCOL_ID, DIALER, LISTENER);

        assertThatThrownBy(() -> Identify.request(streams.dialer(), Duration.ofMillis(50)))
                .isInstanceOf(ConnectionClosedException.class)
                .hasMessage("identify with " + LISTENER.id() + " did not finish within 50 ms");
        assertThat(streams.dialer().wasResetHere()).isTrue();
    }

    @Test
    void announcesTheDevelopmentAgentVersionOutsideAVersionedJar() {
        assertThat(Identify.AGENT_VERSION).isEqualTo("parley/dev");
    }
}
