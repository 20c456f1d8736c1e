package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.webrtc.WebRtcConfig;
import org.parley.libp2p.transport.webrtc.WebRtcHosts;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;

/**
 * The libp2p WebRTC transport ({@code /webrtc}) against js-libp2p's {@code @libp2p/webrtc}: a Java
 * host and a js peer that reach each other only through a Java relay signal a WebRTC connection
 * over the relayed one ({@code <relay>/p2p/R/p2p-circuit/webrtc/p2p/<peer>}), in both directions,
 * and carry ping, a few MiB of echo and a 16 MiB sink transfer over its data channels; js's sink
 * client closes its side and only then reads the Java sink's reply, in both directions.
 */
@Tag("interop")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebRtcJsInteropTest {

    /** Several MiB: many data-channel messages (js sends at most 16 KiB per message) per stream. */
    private static final int ECHO_BYTES = 4 << 20;

    /** More than the Java side's high-water mark, so js's sender queues and drains while the sink reads. */
    private static final long SINK_BYTES = 16L << 20;

    /** An upload long enough (several seconds) that many short streams open and close beside it. */
    private static final long UPLOAD_BYTES = 256L << 20;

    private static final Multiaddr WEBRTC = Multiaddr.parse("/webrtc");

    // No automatic upgrade: each test dials the WebRTC address itself.
    private final WebRtcHosts hosts = new WebRtcHosts(WebRtcConfig.defaults().withLoopbackOnly().withAutoUpgrade(false));
    private JsPeer js;

    @BeforeAll
    static void nativeLibraryLoads() {
        WebRtcSupport.Status status = WebRtcSupport.status();
        assertThat(status.available()).as(status.describe()).isTrue();
    }

    @AfterEach
    void closeAll() {
        if (js != null) {
            js.close();
        }
        hosts.close();
    }

    @Test
    void aJavaHostDialsAJsPeerOverWebRtcSignalledThroughARelay() throws Exception {
        Host relay = hosts.startRelay();
        Multiaddr circuit = WebRtcHosts.circuit(relay);
        js = JsPeer.builder().name("js-webrtc-target").webrtc()
                .listen(circuit.toString()).listen("/webrtc").start();
        Host dialer = hosts.startWithRelayClient(null);
        dialer.setHandler(JsPeer.SINK_PROTOCOL, InteropProtocols::serveSink);

        Connection direct = dialer.connect(circuit.encapsulate(WEBRTC).withPeerId(js.peerId()));

        assertThat(direct.transport()).isEqualTo("webrtc");
        assertThat(direct.limited()).isFalse();
        assertThat(direct.remotePeer()).isEqualTo(js.peerId());
        Stream echo = direct.newStream(List.of(JsPeer.ECHO_PROTOCOL));
        InteropProtocols.echoRoundTrip(echo, ECHO_BYTES, 17);
        assertThat(dialer.ping(js.peerId())).isPositive();
        assertThat(js.command("peers", java.util.Map.of()).path("peers").toString())
                .as("js sees an inbound WebRTC connection from the Java host")
                .contains("/webrtc/p2p/" + dialer.peerId());
        // js sends over the connection the Java host dialed, awaits close() and only then reads the
        // count: the Java sink's FIN_ACK must precede its reply.
        assertThat(js.benchSend(dialer.peerId(), SINK_BYTES).path("bytes").asLong()).isEqualTo(SINK_BYTES);
    }

    @Test
    void aJsPeerDialsAJavaHostOverWebRtcSignalledThroughARelay() throws Exception {
        Host relay = hosts.startRelay();
        Multiaddr circuit = WebRtcHosts.circuit(relay);
        Host target = hosts.startWithRelayClient(relay);
        Queue<String> echoTransports = new ConcurrentLinkedQueue<>();
        target.setHandler(JsPeer.ECHO_PROTOCOL, StreamHandler.acceptingLimited(stream -> {
            echoTransports.add(stream.connection().transport());
            InteropProtocols.serveEcho(stream);
        }));
        target.setHandler(JsPeer.SINK_PROTOCOL, InteropProtocols::serveSink);
        js = JsPeer.builder().name("js-webrtc-dialer").webrtc().start();

        JsonNode dialed = js.dial(circuit.encapsulate(WEBRTC).withPeerId(target.peerId()));

        assertThat(dialed.path("peer").asText()).isEqualTo(target.peerId().toString());
        assertThat(dialed.path("limited").asBoolean()).isFalse();
        assertThat(dialed.path("remoteAddr").asText()).contains("/p2p-circuit/webrtc/p2p/" + target.peerId());
        assertThat(target.connections(js.peerId())).extracting(Connection::transport).contains("webrtc");
        js.echo(target.peerId(), ECHO_BYTES, 2);
        assertThat(echoTransports).containsExactly("webrtc", "webrtc");
        assertThat(js.ping(target.peerId())).isNotNegative();
        // js awaits close() before it reads the count (peer.mjs bench-send): it gets it only if the
        // Java sink's FIN_ACK went out before its reply and FIN.
        assertThat(js.benchSend(target.peerId(), SINK_BYTES).path("bytes").asLong()).isEqualTo(SINK_BYTES);
    }

    /**
     * js pings (a new data channel each time, which js closes and whose SCTP stream id it reuses at
     * once) while it uploads on another channel. With webrtc-java 0.14.0 this fails in about half the
     * runs even on an idle machine (6 of 12 here), the same way as the intermittent ping timeout in
     * {@link #aJsPeerDialsAJavaHostOverWebRtcSignalledThroughARelay}, where the two concurrent echo
     * streams play the upload's part. What the logs of both sides show: the transfer overflows the
     * receive buffer of our libwebrtc's UDP socket (the kernel counts the drops against the JVM's
     * socket, none against node's), so some of js's DATA is retransmitted; when js resets a stream
     * meanwhile, our libwebrtc performs our own reset of that stream but never the peer's (it never
     * reports the incoming reset), so the channel stays half closed and its id taken. Most likely
     * cause: RFC 6525 has the receiver answer such a request "in progress" and the sender retransmit
     * the same request, and a dcsctp that answers the retransmission with the cached "in progress"
     * instead of re-evaluating it never completes it. From then on js (libdatachannel/usrsctp, one reset request
     * in flight at a time) resets no stream we can see, and the channel it opens next on a reused id
     * never opens: js's ping times out after 10 s. Our Java code cannot complete a peer's reset;
     * our WebRTC session only closes such a wedged connection
     * after 10 s ({@code CloseCompletionWatch}) so the host can fall back and upgrade again. Enable this test
     * with a webrtc-java whose libwebrtc completes a retransmitted deferred reset.
     */
    @Test
    @Disabled("libwebrtc bug in webrtc-java 0.14.0's dcsctp: a peer's deferred stream reset never completes (see javadoc)")
    void aJsPeerKeepsOpeningStreamsWhileItUploadsOverWebRtc() throws Exception {
        Host relay = hosts.startRelay();
        Multiaddr circuit = WebRtcHosts.circuit(relay);
        Host target = hosts.startWithRelayClient(relay);
        target.setHandler(JsPeer.SINK_PROTOCOL, InteropProtocols::serveSink);
        js = JsPeer.builder().name("js-webrtc-uploader").webrtc().start();
        js.dial(circuit.encapsulate(WEBRTC).withPeerId(target.peerId()));

        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<JsonNode> upload = CompletableFuture.supplyAsync(
                    () -> js.benchSend(target.peerId(), UPLOAD_BYTES), background);
            // Each ping opens a data channel of its own, which js closes and whose id it reuses.
            for (int i = 0; i == 0 || !upload.isDone(); i++) {
                assertThat(js.ping(target.peerId())).as("ping %d during the upload", i).isNotNegative();
            }
            assertThat(upload.get().path("bytes").asLong()).isEqualTo(UPLOAD_BYTES);
        }
    }
}
