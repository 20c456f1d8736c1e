package org.parley.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
}
