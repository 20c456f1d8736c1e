package org.parley.libp2p.bench;

import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.webrtc.WebRtcConfig;
import org.parley.libp2p.transport.webrtc.WebRtcHosts;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.libp2p.transport.webrtc.WebRtcTransport;

/**
 * {@code scripts/bench webrtc}: Java to Java on loopback, 64 MiB through one WebRTC data-channel
 * stream and through one Noise+yamux stream over TCP between the same two hosts, each with the sink
 * protocol; prints MB/s of both and their ratio (median of a few rounds, after a warm-up round).
 * Then the WebRTC stream again from this JVM to a host in a child JVM, so that each side has a
 * libwebrtc network thread of its own (in one JVM both hosts share one).
 * Then the time from a relayed dial to a direct connection: a fresh host dials
 * {@code <relay>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>} (the circuit, then signaling over it and
 * ICE), median of {@link #RELAYED_ROUNDS}. Last, js-libp2p's {@code @libp2p/webrtc} with the same
 * 64 MiB sink stream js → js, Java → js and js → Java ({@link WebRtcJsBench}), and the ratio of
 * Java → Java (one JVM, and two) to js → js. {@code --java-only} runs the Java-Java rows alone.
 */
public final class WebRtcBench {

    private static final long BYTES = 64L << 20;
    private static final int ROUNDS = 3;
    /** Enough dials for a stable median and a p90 without making the benchmark slow. */
    private static final int RELAYED_ROUNDS = 11;

    private WebRtcBench() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args.length > 0 && args[0].equals("--java-only"));
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1);
        }
        // libwebrtc's native threads stay attached to the JVM and would keep it alive.
        System.exit(0);
    }

    /** @param javaOnly only the Java-Java rows (quick, for profiling the data channel) */
    private static void run(boolean javaOnly) throws Exception {
        WebRtcSupport.Status status = WebRtcSupport.status();
        if (!status.available()) {
            System.out.println(status.describe());
            System.exit(1);
        }
        double javaMbps;
        double javaCpuPerMiB;
        try (WebRtcHosts hosts = new WebRtcHosts()) {
            Host a = hosts.start();
            Host b = hosts.start();
            b.setHandler(SinkProtocol.PROTOCOL_ID, stream -> SinkProtocol.serve(stream.in(), stream.out()));
            Connection tcp = a.connect(WebRtcHosts.tcpAddress(b));
            long setupStart = System.nanoTime();
            Connection webrtc = a.connect(WebRtcTransport.upgradeAddress(tcp));
            long setupNanos = System.nanoTime() - setupStart;

            long self = ProcessHandle.current().pid();
            long[] before = new long[3];
            double webrtcMbps = median(a, webrtc, () -> {
                before[0] = processCpuNanos();
                before[1] = netCpu(self);
                before[2] = System.nanoTime();
            });
            // Over the measured rounds, as js's figure.
            javaCpuPerMiB = perMiB(processCpuNanos() - before[0]);
            long network = netCpu(self) - before[1];
            double busy = network / (double) (System.nanoTime() - before[2]);
            double tcpMbps = median(a, tcp, () -> {});
            System.out.printf("webrtc connection setup over an open TCP connection: %.0f ms%n", setupNanos / 1e6);
            System.out.printf("64 MiB, one stream, Java-Java loopback: WebRTC data channel %.1f MB/s, TCP+Noise+yamux %.1f MB/s"
                    + " (WebRTC/TCP %.2f)%n", webrtcMbps, tcpMbps, webrtcMbps / tcpMbps);
            System.out.printf("WebRTC Java-Java CPU, this JVM (both hosts): %.2f ms per MiB, of which libwebrtc's one"
                    + " network thread (both ends' SCTP, DTLS and UDP) %.2f ms, busy %.0f%% of the rounds%n",
                    javaCpuPerMiB, perMiB(network), busy * 100);
            javaMbps = webrtcMbps;
        }
        double twoJvmMbps = twoProcesses();
        if (javaOnly) {
            return;
        }
        relayedToDirect();
        WebRtcJsBench.Rates js = new WebRtcJsBench(BYTES, ROUNDS).run();
        if (!Double.isNaN(js.jsToJs())) {
            System.out.printf("WebRTC, one stream, Java → Java / js → js: %.2f (one JVM), %.2f (two JVMs, as js's two"
                    + " processes)%n", javaMbps / js.jsToJs(), twoJvmMbps / js.jsToJs());
            // CPU per byte barely depends on how loaded the machine is, unlike MB/s.
            System.out.printf("WebRTC CPU per MiB, js → js / Java → Java: %.2f%n", js.jsToJsCpuMillisPerMiB() / javaCpuPerMiB);
            System.out.printf("the goal, 2 x js → js, is %.1f MB/s: compare the network thread's limit above%n",
                    2 * js.jsToJs());
        }
    }

    /**
     * The same 64 MiB stream from this JVM to a host in a child JVM ({@link BenchPeer} with
     * {@code --webrtc}): each side then has libwebrtc's network thread of its own, as js → js has in
     * its two node processes. Prints and returns the median MB/s.
     */
    private static double twoProcesses() throws Exception {
        try (BenchPeerProcess peer = BenchPeerProcess.start(List.of("-Xmx1g"), List.of("--webrtc"));
             WebRtcHosts hosts = new WebRtcHosts()) {
            Host a = hosts.start();
            Connection tcp = a.connect(peer.hostAddress());
            Connection webrtc = a.connect(WebRtcTransport.upgradeAddress(tcp));
            long self = ProcessHandle.current().pid();
            long[] before = new long[3];
            double mbps = median(a, webrtc, () -> {
                before[0] = netCpu(self);
                before[1] = netCpu(peer.pid());
                before[2] = System.nanoTime();
            });
            double elapsed = System.nanoTime() - before[2];
            long sender = netCpu(self) - before[0];
            long receiver = netCpu(peer.pid()) - before[1];
            System.out.printf("64 MiB, one stream, Java → Java over WebRTC, this JVM → child JVM: %.1f MB/s%n", mbps);
            // Each network thread runs libwebrtc's code alone (one host per JVM here): the costlier one per
            // MiB, were it busy all the time, sets the most a data channel can carry.
            System.out.printf("  libwebrtc's network thread, sender: %.2f ms CPU per MiB, busy %.0f%%; receiver: %.2f ms per"
                    + " MiB, busy %.0f%%, so one data channel here stays under %.0f MB/s whatever runs around it%n",
                    perMiB(sender), sender / elapsed * 100, perMiB(receiver), receiver / elapsed * 100,
                    (1 << 20) / 1e6 / (perMiB(Math.max(sender, receiver)) / 1e3));
            return mbps;
        }
    }

    /** Prints the median and slowest time from a relayed dial to a direct WebRTC connection. */
    private static void relayedToDirect() throws Exception {
        try (WebRtcHosts hosts = new WebRtcHosts(WebRtcConfig.defaults().withLoopbackOnly().withAutoUpgrade(false))) {
            Host relay = hosts.startRelay();
            Host target = hosts.startWithRelayClient(relay);
            Multiaddr address = WebRtcHosts.circuit(relay).encapsulate(Multiaddr.parse("/webrtc"))
                    .withPeerId(target.peerId());
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < RELAYED_ROUNDS + 1; i++) {
                Host dialer = hosts.startWithRelayClient(null);
                long start = System.nanoTime();
                Connection direct = dialer.connect(address);
                long took = System.nanoTime() - start;
                if (!direct.transport().equals("webrtc")) {
                    throw new IllegalStateException("expected a WebRTC connection, got " + direct);
                }
                if (i > 0) { // the first warms up the JIT and libwebrtc
                    millis.add(took / 1e6);
                }
                dialer.close();
            }
            millis.sort(null);
            System.out.printf("relayed dial to direct WebRTC connection, loopback, %d dials: median %.0f ms,"
                    + " fastest %.0f ms, slowest %.0f ms%n", millis.size(), millis.get(millis.size() / 2),
                    millis.getFirst(), millis.getLast());
        }
    }

    /** Milliseconds per MiB of {@code nanos} spent over the measured rounds. */
    private static double perMiB(long nanos) {
        return nanos / 1e6 / (ROUNDS * (double) (BYTES >> 20));
    }

    private static long netCpu(long pid) {
        try {
            return NetworkThreadCpu.nanos(pid);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** CPU time of this JVM so far, all threads (native ones included). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @param afterWarmUp runs once the warm-up round is done */
    private static double median(Host a, Connection connection, Runnable afterWarmUp) throws Exception {
        transfer(connection); // warm-up
        afterWarmUp.run();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rates.add(BYTES / 1e6 / (transfer(connection) / 1e9));
        }
        rates.sort(null);
        return rates.get(ROUNDS / 2);
    }

    private static long transfer(Connection connection) throws Exception {
        try (Stream stream = connection.newStream(List.of(SinkProtocol.PROTOCOL_ID))) {
            return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), BYTES);
        }
    }
}
