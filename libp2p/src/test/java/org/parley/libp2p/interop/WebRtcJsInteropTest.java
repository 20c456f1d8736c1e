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
     * js pings (a new data channel each time, which js closes and whose SCTP stream id it reuses)
     * while it uploads on another channel. The upload overflows the receive buffer of our
     * libwebrtc's UDP socket, so some of js's DATA is being retransmitted when a ping channel
     * closes, and libwebrtc seems to perform js's reset of that stream only once that DATA came
     * again. When we reset the same stream meanwhile (we closed the channel on js's FIN_ACK while js
     * closed it on our FIN), the libwebrtc in webrtc-java 0.14.0 sometimes performed our reset but
     * never js's: the id stayed taken, js's next channel on it never opened, and our
     * {@code CloseCompletionWatch} closed the connection. Since we leave the closing to the peer
     * that finished first ({@code DataChannelStream.PEER_CLOSE_GRACE}), only js resets the stream.
     * On this 2-core machine at load 2 to 9: before, 12 of 20 runs failed (8 so wedged, 4 by the
     * connection going ICE disconnected under the upload); with a 5 s grace 5 of 30 (1 wedged by our
     * fallback close, 3 disconnected, 1 ping timeout); with the 30 s grace 0 of 24. The same wedge made
     * {@link #aJsPeerDialsAJavaHostOverWebRtcSignalledThroughARelay} flaky, the two concurrent echo
     * streams playing the upload's part.
     *
     * <p>On a later machine it still failed 4 runs in 70, each a ping whose data channel reached us
     * 7 to 8 s late, after the upload, and then completed at once: the kernel had dropped about
     * 1,100 of js's datagrams a run at our full UDP receive buffer (libwebrtc keeps the default), and
     * a lost channel opening waited for js's backed-off retransmission timer. With the larger
     * buffers of {@code UdpReceiveBuffers} (512 KiB) it passed 60 runs of 60.
     */
    @Test
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
