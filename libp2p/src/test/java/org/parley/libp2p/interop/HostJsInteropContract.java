package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * The Java host and a js-libp2p peer on one loopback connection: identify, ping, a 10 MiB echo
 * and 100 simultaneous streams, each in both stream directions. Subclasses decide which side
 * dials, so the Java host is proven both as Noise initiator / yamux client and as responder.
 */
@Tag("interop")
@ExtendWith(JsPeerLogs.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class HostJsInteropContract {

    static final String JAVA_AGENT = "parley-interop-test/1.0";
    static final int TEN_MIB = 10 * 1024 * 1024;
    static final int STREAMS = 100;
    static final int BYTES_PER_STREAM = 64 * 1024;
    /** Identify runs right after the upgrade and takes a few milliseconds on loopback. */
    static final Duration IDENTIFY_WAIT = Duration.ofSeconds(10);
    /** How long the 100 stream threads wait for each other before the round trips start. */
    static final Duration STREAMS_OPEN_WAIT = Duration.ofSeconds(20);

    JsPeer js;
    Host host;
    Multiaddr javaAddr;
    /** What js learned about the Java host from the identify exchange on connection open. */
    JsonNode jsIdentifyOfJava;

    /** Opens the one connection between {@link #host} and {@link #js}. */
    abstract void connect() throws IOException;

    /** True if the Java host dialed, so it is the Noise initiator and yamux client. */
    abstract boolean javaDials();

    @BeforeAll
    void startBothSidesAndConnect() throws Exception {
        js = JsPeer.builder().name(getClass().getSimpleName()).start();
        host = Libp2p.newHost()
                .identity(Ed25519PrivateKey.generate())
                .listen(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")))
                .agentVersion(JAVA_AGENT)
                .build();
        host.setHandler(JsPeer.ECHO_PROTOCOL, InteropProtocols::serveEcho);
        host.setHandler(JsPeer.SINK_PROTOCOL, InteropProtocols::serveSink);
        host.start();
        javaAddr = host.listenAddresses().getFirst().withPeerId(host.peerId());

        CompletableFuture<HostEvent> javaIdentifiedJs = new CompletableFuture<>();
        Subscription identified = host.subscribe(e -> {
            if (e instanceof HostEvent.PeerIdentified && e.peer().equals(js.peerId())) {
                javaIdentifiedJs.complete(e);
            }
        });
        try {
            connect();
            javaIdentifiedJs.get(IDENTIFY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            identified.close();
        }
        jsIdentifyOfJava = js.awaitEvent("identify", e -> e.path("peer").asText().equals(host.peerId().toString()),
                IDENTIFY_WAIT);
    }

    @AfterAll
    void stopBothSides() {
        if (host != null) {
            host.close();
        }
        if (js != null) {
            js.close();
        }
    }

    @Test
    void bothSidesShareOneConnectionDialedByTheExpectedSide() {
        List<Connection> connections = host.connections(js.peerId());
        JsonNode jsPeers = js.command("peers", Map.of()).path("peers");

        assertThat(connections).hasSize(1);
        assertThat(connections.getFirst().isInitiator()).isEqualTo(javaDials());
        assertThat(connections.getFirst().remotePublicKey()).isEqualTo(js.publicKey());
        assertThat(jsPeers).hasSize(1);
        assertThat(jsPeers.get(0).path("peer").asText()).isEqualTo(host.peerId().toString());
        assertThat(jsPeers.get(0).path("direction").asText()).isEqualTo(javaDials() ? "inbound" : "outbound");
    }

    @Test
    void javaLearnsTheJsProtocolsAndAgentFromIdentify() {
        assertThat(host.peerstore().protocols(js.peerId()))
                .contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", JsPeer.ECHO_PROTOCOL, JsPeer.SINK_PROTOCOL);
        assertThat(host.peerstore().agentVersion(js.peerId())).contains(JsPeer.AGENT_VERSION);
        assertThat(host.peerstore().addresses(js.peerId())).contains(js.addr().withoutPeerId());
    }

    @Test
    void jsLearnsTheJavaProtocolsAndAgentFromIdentify() {
        assertIdentifiesJava(jsIdentifyOfJava);
    }

    @Test
    void javaAnswersAnIdentifyRequestFromJs() {
        assertIdentifiesJava(js.identify(host.peerId()));
    }

    @Test
    void javaPingsJs() throws IOException {
        Duration rtt = host.ping(js.peerId());

        assertThat(rtt).isPositive();
        assertThat(host.peerstore().latency(js.peerId())).isPresent();
    }

    @Test
    void jsPingsJava() {
        assertThat(js.ping(host.peerId())).isGreaterThanOrEqualTo(0);
    }

    @Test
    void jsEchoesTenMebibytesFromJavaIntact() throws Exception {
        try (Stream stream = host.newStream(js.peerId(), JsPeer.ECHO_PROTOCOL)) {
            assertThat(stream.protocol()).isEqualTo(JsPeer.ECHO_PROTOCOL);
            InteropProtocols.echoRoundTrip(stream, TEN_MIB, 1);
        }
    }

    @Test
    void javaEchoesTenMebibytesFromJsIntact() {
        JsonNode r = js.echo(host.peerId(), TEN_MIB, 1);

        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("bytes").asInt()).isEqualTo(TEN_MIB);
    }

    @Test
    void javaOpensOneHundredStreamsAtOnceToJs() throws Exception {
        CyclicBarrier allOpen = new CyclicBarrier(STREAMS);
        List<Future<Void>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < STREAMS; i++) {
                long seed = i;
                results.add(threads.submit(() -> echoOnceAllOpen(allOpen, seed)));
            }
            rethrowFirstFailure(results);
        }
        assertThat(host.connections(js.peerId())).hasSize(1);
    }

    @Test
    void jsOpensOneHundredStreamsAtOnceToJava() {
        JsonNode r = js.echo(host.peerId(), BYTES_PER_STREAM, STREAMS);

        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("streams").asInt()).isEqualTo(STREAMS);
        assertThat(host.connections(js.peerId())).hasSize(1);
    }

    @Test
    void jsSinkCountsEveryByteFromJava() throws Exception {
        try (Stream stream = host.newStream(js.peerId(), JsPeer.SINK_PROTOCOL)) {
            assertThat(InteropProtocols.sinkSend(stream, TEN_MIB)).isEqualTo(TEN_MIB);
        }
    }

    @Test
    void javaSinkCountsEveryByteFromJs() {
        assertThat(js.benchSend(host.peerId(), TEN_MIB).path("bytes").asLong()).isEqualTo(TEN_MIB);
    }

    private void assertIdentifiesJava(JsonNode id) {
        assertThat(id.path("peer").asText()).isEqualTo(host.peerId().toString());
        assertThat(id.path("agentVersion").asText()).isEqualTo(JAVA_AGENT);
        assertThat(JsToJsInteropTest.texts(id.path("protocols")))
                .contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", JsPeer.ECHO_PROTOCOL, JsPeer.SINK_PROTOCOL);
        assertThat(JsToJsInteropTest.texts(id.path("listenAddrs"))).contains(javaAddr.withoutPeerId().toString());
    }

    /** Opens a stream, waits until all {@link #STREAMS} are open, then runs one echo round trip. */
    private Void echoOnceAllOpen(CyclicBarrier allOpen, long seed) throws Exception {
        Stream stream;
        try {
            stream = host.newStream(js.peerId(), JsPeer.ECHO_PROTOCOL);
        } catch (IOException | RuntimeException e) {
            allOpen.reset();
            throw e;
        }
        try (stream) {
            allOpen.await(STREAMS_OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            InteropProtocols.echoRoundTrip(stream, BYTES_PER_STREAM, seed);
        }
        return null;
    }

    /**
     * Surfaces the first real failure among the stream threads; a broken or timed-out barrier
     * only says that another stream failed first, unless no stream failed otherwise.
     */
    private static void rethrowFirstFailure(List<Future<Void>> results) throws Exception {
        Exception first = null;
        int gaveUpWaiting = 0;
        for (Future<Void> r : results) {
            try {
                r.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof BrokenBarrierException || e.getCause() instanceof TimeoutException) {
                    gaveUpWaiting++;
                } else if (first == null) {
                    first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        if (gaveUpWaiting > 0) {
            throw new AssertionError(gaveUpWaiting + " of " + STREAMS + " streams gave up waiting for all to be open within "
                    + STREAMS_OPEN_WAIT.toSeconds() + " s");
        }
    }
}
