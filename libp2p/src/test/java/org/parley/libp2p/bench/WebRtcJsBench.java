package org.parley.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.webrtc.WebRtcConfig;
import org.parley.libp2p.transport.webrtc.WebRtcHosts;

/**
 * The js-libp2p rows of {@code scripts/bench webrtc}: one sink stream over a WebRTC connection that
 * {@code @libp2p/webrtc} signals through a relay, js → js (two node processes), Java → js and
 * js → Java, each the median of a few rounds after a warm-up round. The relay is a Java
 * {@code RelayService} in this JVM; it carries only the signaling, never the measured bytes.
 */
final class WebRtcJsBench {

    /** js answers a 64 MiB bench-send in about a second; this only catches a hung peer. */
    private static final Duration JS_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final Multiaddr WEBRTC = Multiaddr.parse("/webrtc");

    /**
     * MB/s of the three directions, and the CPU milliseconds both js processes spent per MiB js → js
     * (over the measured rounds); NaN where a direction did not run.
     */
    record Rates(double jsToJs, double javaToJs, double jsToJava, double jsToJsCpuMillisPerMiB) {}

    private final long bytes;
    private final int rounds;

    WebRtcJsBench(long bytes, int rounds) {
        this.bytes = bytes;
        this.rounds = rounds;
    }

    /** Runs the three directions, printing a line for each; a missing js install skips them with the reason. */
    Rates run() throws Exception {
        try (WebRtcHosts hosts = new WebRtcHosts(WebRtcConfig.defaults().withLoopbackOnly().withAutoUpgrade(false))) {
            Host relay = hosts.startRelay();
            Multiaddr circuit = WebRtcHosts.circuit(relay);
            JsPeer jsSink;
            JsPeer jsSender;
            try {
                jsSink = JsPeer.builder().name("bench-webrtc-sink").webrtc().commandTimeout(JS_COMMAND_TIMEOUT)
                        .listen(circuit.toString()).listen("/webrtc").start();
                jsSender = JsPeer.builder().name("bench-webrtc-sender").webrtc().commandTimeout(JS_COMMAND_TIMEOUT)
                        .start();
            } catch (RuntimeException e) {
                System.out.printf(Locale.ROOT, "js-libp2p WebRTC: skipped: %s%n", e.getMessage());
                return new Rates(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            try (jsSink; jsSender) {
                long[] cpuBefore = new long[1];
                double jsToJs = jsToJs(jsSender, jsSink, circuit, cpuBefore);
                double cpuPerMiB = (cpuMicros(jsSender) + cpuMicros(jsSink) - cpuBefore[0]) / 1e3
                        / ((double) rounds * (bytes >> 20));
                System.out.printf(Locale.ROOT, "js → js CPU, both node processes: %.2f ms per MiB%n", cpuPerMiB);
                double javaToJs = javaToJs(hosts, jsSink, circuit);
                double jsToJava = jsToJava(hosts, relay, jsSender, circuit);
                return new Rates(jsToJs, javaToJs, jsToJava, cpuPerMiB);
            }
        }
    }

    /** @param cpuBefore set to both processes' CPU microseconds after the warm-up round */
    private double jsToJs(JsPeer sender, JsPeer sink, Multiaddr circuit, long[] cpuBefore) {
        JsonNode dialed = sender.dial(circuit.encapsulate(WEBRTC).withPeerId(sink.peerId()));
        requireDirect(dialed);
        double rate = medianOfJs(sender, sink.peerId().toString(),
                () -> cpuBefore[0] = cpuMicros(sender) + cpuMicros(sink));
        print("js → js", "node → node", rate);
        return rate;
    }

    private double javaToJs(WebRtcHosts hosts, JsPeer sink, Multiaddr circuit) throws Exception {
        Host sender = hosts.startWithRelayClient(null);
        Connection direct = sender.connect(circuit.encapsulate(WEBRTC).withPeerId(sink.peerId()));
        if (!direct.transport().equals("webrtc")) {
            throw new IllegalStateException("expected a WebRTC connection to the js sink, got " + direct);
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) {
            long nanos;
            try (Stream stream = direct.newStream(List.of(SinkProtocol.PROTOCOL_ID))) {
                nanos = SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
            }
            if (i > 0) { // the first round warms up
                rates.add(SinkProtocol.megabytesPerSecond(bytes, nanos));
            }
        }
        double rate = median(rates);
        print("Java → js", "this JVM → node", rate);
        return rate;
    }

    private double jsToJava(WebRtcHosts hosts, Host relay, JsPeer sender, Multiaddr circuit) throws Exception {
        Host sink = hosts.startWithRelayClient(relay);
        sink.setHandler(SinkProtocol.PROTOCOL_ID, stream -> SinkProtocol.serve(stream.in(), stream.out()));
        requireDirect(sender.dial(circuit.encapsulate(WEBRTC).withPeerId(sink.peerId())));
        double rate = medianOfJs(sender, sink.peerId().toString(), () -> {});
        print("js → Java", "node → this JVM", rate);
        return rate;
    }

    /** @param afterWarmUp runs once the warm-up round is done */
    private double medianOfJs(JsPeer sender, String sinkPeer, Runnable afterWarmUp) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i <= rounds; i++) {
            if (i == 1) {
                afterWarmUp.run();
            }
            JsonNode sent = sender.command("bench-send", java.util.Map.of("peer", sinkPeer, "bytes", bytes),
                    JS_COMMAND_TIMEOUT);
            if (i > 0) { // the first round warms up
                rates.add(sent.path("mbPerSec").asDouble());
            }
        }
        return median(rates);
    }

    /** CPU time the js process has used so far, microseconds. */
    private static long cpuMicros(JsPeer peer) {
        JsonNode cpu = peer.command("cpu", java.util.Map.of());
        return cpu.path("userMicros").asLong() + cpu.path("systemMicros").asLong();
    }

    private static void requireDirect(JsonNode dialed) {
        if (dialed.path("limited").asBoolean() || !dialed.path("remoteAddr").asText().contains("/webrtc/")) {
            throw new IllegalStateException("js did not open a direct WebRTC connection: " + dialed);
        }
    }

    private void print(String direction, String processes, double rate) {
        System.out.printf(Locale.ROOT, "%d MiB, one stream, %s WebRTC loopback (%s, js-libp2p %s): %.1f MB/s%n",
                bytes >> 20, direction, processes, JsPeer.LIBP2P_VERSION, rate);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
