package org.parley.libp2p.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.OpenSslChaCha20Poly1305;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostLimits;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.tcp.TcpListener;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.transport.webrtc.WebRtcHosts;

/**
 * The other process of {@link StreamBench}: a Java host on 127.0.0.1 serving the sink protocol,
 * plus bare sinks that show what each layer costs (plain TCP; TCP + Noise without yamux) and one
 * that runs Noise with OpenSSL's cipher ({@link OpenSslChaCha20Poly1305}) under yamux.
 * {@link BenchPeerProcess} starts it and talks to it over stdin/stdout, one line each way.
 *
 * <p>Usage: {@code BenchPeer [--max-connections N] [--webrtc]}; with {@code --webrtc} the host also
 * takes WebRTC connections (loopback only), for {@link WebRtcBench}'s two-process row. Prints
 * {@code ready host=<multiaddr/p2p/id> tcp=<multiaddr> noise=<multiaddr> openssl=<multiaddr/p2p/id or none>} once listening, then
 * answers {@code connections} with {@code connections <n>} and {@code heap} with
 * {@code heap <bytes used after a full GC>}, each line after {@link #MARKER}. End of stdin closes
 * the host and exits.
 */
public final class BenchPeer {

    /**
     * Starts every line of ours on stdout, so that what the JVM itself prints there (a JFR
     * recording's start, for one) is told apart.
     */
    static final String MARKER = "bench-peer: ";

    static final Duration NOISE_TIMEOUT = Duration.ofSeconds(10);
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private BenchPeer() {}

    public static void main(String[] args) throws Exception {
        HostLimits limits = HostLimits.defaults();
        boolean webrtc = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--max-connections") && i + 1 < args.length) {
                limits = limits.withMaxConnections(Integer.parseInt(args[++i]));
            } else if (args[i].equals("--webrtc")) {
                webrtc = true;
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: BenchPeer [--max-connections N] [--webrtc]");
            }
        }
        if (webrtc) {
            serveOverWebRtc();
            // libwebrtc's native threads stay attached to the JVM and would keep it alive.
            System.exit(0);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Ed25519PrivateKey identity = Ed25519PrivateKey.generate();
        try (Host host = Libp2p.newHost().identity(identity).listen(List.of(LOOPBACK)).limits(limits).build()) {
            host.setHandler(SinkProtocol.PROTOCOL_ID, stream -> SinkProtocol.serve(stream.in(), stream.out()));
            host.start();
            TcpTransport transport = new TcpTransport();
            NoiseTransport noise = new NoiseTransport(identity);
            HandBuiltUpgrade openSsl = OpenSslChaCha20Poly1305.isAvailable()
                    ? new HandBuiltUpgrade(identity, OpenSslChaCha20Poly1305::new) : null;
            try (TcpListener tcpSink = transport.listen(LOOPBACK, raw -> Thread.ofVirtual().start(() -> serveTcp(raw)));
                    TcpListener noiseSink = transport.listen(LOOPBACK,
                            raw -> Thread.ofVirtual().start(() -> serveNoise(noise, raw)));
                    TcpListener openSslSink = transport.listen(LOOPBACK,
                            raw -> Thread.ofVirtual().start(() -> serveMuxed(openSsl, raw)))) {
                out.println(MARKER + "ready host=" + host.listenAddresses().getFirst().withPeerId(host.peerId())
                        + " tcp=" + tcpSink.address() + " noise=" + noiseSink.address()
                        + " openssl=" + (openSsl == null ? "none" : openSslSink.address().withPeerId(host.peerId())));
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = commands.readLine()) != null) {
                    switch (line.trim()) {
                        case "connections" -> out.println(MARKER + "connections " + host.connections().size());
                        case "heap" -> out.println(MARKER + "heap " + heapUsedAfterGc());
                        default -> out.println(MARKER + "error unknown command '" + line + "'");
                    }
                }
            }
        }
    }

    /**
     * A host with TCP and WebRTC serving the sink protocol, until stdin ends; it answers no
     * commands, and its bare sinks are the host's own address (none of their own).
     */
    private static void serveOverWebRtc() throws IOException {
        try (WebRtcHosts hosts = new WebRtcHosts()) {
            Host host = hosts.start();
            host.setHandler(SinkProtocol.PROTOCOL_ID, stream -> SinkProtocol.serve(stream.in(), stream.out()));
            Multiaddr address = WebRtcHosts.tcpAddress(host);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println(MARKER + "ready host=" + address + " tcp=" + address + " noise=" + address + " openssl=none");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).transferTo(Writer.nullWriter());
        }
    }

    private static void serveTcp(RawConnection raw) {
        try (raw) {
            SinkProtocol.serve(raw.in(), raw.out());
        } catch (IOException e) {
            System.err.println("BenchPeer: TCP sink failed: " + e);
        }
    }

    private static void serveNoise(NoiseTransport noise, RawConnection raw) {
        try (SecureChannel channel = noise.secureInbound(raw, List.of(), NOISE_TIMEOUT)) {
            SinkProtocol.serve(channel.in(), channel.out());
        } catch (IOException e) {
            System.err.println("BenchPeer: Noise sink failed: " + e);
        }
    }

    /** Serves sink streams on a connection upgraded by hand (no identify), until the dialer closes it. */
    private static void serveMuxed(HandBuiltUpgrade upgrade, RawConnection raw) {
        if (upgrade == null) {
            raw.close();
            return;
        }
        try (MuxedSession session = upgrade.accept(raw)) {
            while (true) {
                MuxedStream stream = session.acceptStream();
                Thread.ofVirtual().start(() -> {
                    try (stream) {
                        MultistreamSelect.handle(stream, Set.of(SinkProtocol.PROTOCOL_ID));
                        SinkProtocol.serve(stream.in(), stream.out());
                    } catch (IOException e) {
                        System.err.println("BenchPeer: sink stream failed: " + e);
                    }
                });
            }
        } catch (ConnectionClosedException e) {
            // The dialer is done.
        } catch (IOException e) {
            System.err.println("BenchPeer: hand-built connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
