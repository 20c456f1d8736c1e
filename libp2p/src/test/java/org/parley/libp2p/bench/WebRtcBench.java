package org.parley.libp2p.bench;

import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.transport.webrtc.WebRtcHosts;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.libp2p.transport.webrtc.WebRtcTransport;

/**
 * {@code scripts/bench webrtc}: Java to Java on loopback, 64 MiB through one WebRTC data-channel
 * stream and through one Noise+yamux stream over TCP between the same two hosts, each with the sink
 * protocol; prints MB/s of both and their ratio (median of a few rounds, after a warm-up round).
 * js-libp2p's WebRTC is not measured here yet.
 */
public final class WebRtcBench {

    private static final long BYTES = 64L << 20;
    private static final int ROUNDS = 3;

    private WebRtcBench() {}

    public static void main(String[] args) throws Exception {
        WebRtcSupport.Status status = WebRtcSupport.status();
        if (!status.available()) {
            System.out.println(status.describe());
            System.exit(1);
        }
        try (WebRtcHosts hosts = new WebRtcHosts()) {
            Host a = hosts.start();
            Host b = hosts.start();
            b.setHandler(SinkProtocol.PROTOCOL_ID, stream -> SinkProtocol.serve(stream.in(), stream.out()));
            Connection tcp = a.connect(WebRtcHosts.tcpAddress(b));
            long setupStart = System.nanoTime();
            Connection webrtc = a.connect(WebRtcTransport.upgradeAddress(tcp));
            long setupNanos = System.nanoTime() - setupStart;

            double webrtcMbps = median(a, webrtc);
            double tcpMbps = median(a, tcp);
            System.out.printf("webrtc connection setup over an open TCP connection: %.0f ms%n", setupNanos / 1e6);
            System.out.printf("64 MiB, one stream, Java-Java loopback: WebRTC data channel %.1f MB/s, TCP+Noise+yamux %.1f MB/s"
                    + " (WebRTC/TCP %.2f)%n", webrtcMbps, tcpMbps, webrtcMbps / tcpMbps);
            System.out.println("js-libp2p WebRTC is not measured by this benchmark yet");
        }
        // libwebrtc's native threads stay attached to the JVM and would keep it alive.
        System.exit(0);
    }

    private static double median(Host a, Connection connection) throws Exception {
        transfer(connection); // warm-up
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
