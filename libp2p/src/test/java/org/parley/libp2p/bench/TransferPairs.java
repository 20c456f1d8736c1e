package org.parley.libp2p.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.crypto.OpenSslChaCha20Poly1305;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.interop.JsPeer;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;

/**
 * Builds the sender→sink pairs of the throughput table: Java senders on this JVM's {@link Host} (or
 * on the layers under it) and js-libp2p peers started through {@link JsPeer}, with sinks in the
 * child {@link BenchPeerProcess} and in js. What it starts goes to {@code closeLater}, newest first.
 * Not thread safe.
 */
final class TransferPairs {

    static final String JAVA_JAVA = "java-java";
    static final String JS_JS = "js-js";

    /** js answers a 1 GiB bench-send in seconds; this only catches a hung peer. */
    static final Duration JS_COMMAND_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DIAL_TIMEOUT = HandBuiltUpgrade.DIAL_TIMEOUT;
    static final Duration HANDSHAKE_TIMEOUT = HandBuiltUpgrade.HANDSHAKE_TIMEOUT;

    private final Host host;
    private final BenchPeerProcess child;
    private final List<AutoCloseable> closeLater;

    TransferPairs(Host host, BenchPeerProcess child, List<AutoCloseable> closeLater) {
        this.host = host;
        this.child = child;
        this.closeLater = closeLater;
    }

    /**
     * Java to the child's Java: through the Host, and with {@code layerRows} also over Noise with
     * OpenSSL's cipher, over Noise without yamux, and over bare TCP.
     */
    List<TransferRounds.Pair> java(boolean layerRows) throws IOException {
        List<TransferRounds.Pair> pairs = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        host.connect(child.hostAddress());
        pairs.add(new TransferRounds.Pair(JAVA_JAVA, "Java → Java", "TCP + Noise + yamux (Host)", "this JVM → child JVM",
                self, child.pid(), bytes -> {
                    Stream stream = host.newStream(child.peerId(), SinkProtocol.PROTOCOL_ID);
                    try (stream) {
                        return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                    }
                }));
        if (!layerRows) {
            return pairs;
        }
        if (child.openSslSinkAddress() != null) {
            HandBuiltUpgrade openSsl = new HandBuiltUpgrade(Ed25519PrivateKey.generate(), OpenSslChaCha20Poly1305::new);
            MuxedSession session = openSsl.dial(child.openSslSinkAddress());
            closeLater.addFirst(session::close);
            pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP + Noise(OpenSSL) + yamux", "this JVM → child JVM",
                    self, child.pid(), bytes -> {
                        try (MuxedStream stream = session.openStream()) {
                            MultistreamSelect.select(stream, List.of(SinkProtocol.PROTOCOL_ID));
                            return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                        }
                    }));
        }
        TcpTransport tcp = new TcpTransport();
        NoiseTransport noise = new NoiseTransport(Ed25519PrivateKey.generate());
        pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP + Noise, no yamux", "this JVM → child JVM", self,
                child.pid(), bytes -> {
                    TcpConnection raw = tcp.dial(child.noiseSinkAddress(), DIAL_TIMEOUT);
                    try (SecureChannel channel = noise.secureOutbound(raw, child.peerId(), List.of(), HANDSHAKE_TIMEOUT)) {
                        return SinkProtocol.send(channel.out(), channel.out()::close, channel.in(), bytes);
                    } finally {
                        raw.close();
                    }
                }));
        pairs.add(new TransferRounds.Pair(null, "Java → Java", "TCP only (TcpConnection)", "this JVM → child JVM", self,
                child.pid(), bytes -> {
                    try (TcpConnection raw = tcp.dial(child.tcpSinkAddress(), DIAL_TIMEOUT)) {
                        return SinkProtocol.send(raw.out(), raw.out()::close, raw.in(), bytes);
                    }
                }));
        return pairs;
    }

    /**
     * js to js, Java to js and js to the child's Java, or none (with the reason printed) when
     * js-libp2p cannot run here.
     */
    List<TransferRounds.Pair> js() {
        List<TransferRounds.Pair> pairs = new ArrayList<>();
        JsPeer sender;
        JsPeer sink;
        long senderPid;
        long sinkPid;
        try {
            Set<Long> before = childPids();
            sender = JsPeer.builder().name("bench-sender").commandTimeout(JS_COMMAND_TIMEOUT).start();
            closeLater.addFirst(sender);
            senderPid = newChildPid(before);
            before = childPids();
            sink = JsPeer.builder().name("bench-sink").commandTimeout(JS_COMMAND_TIMEOUT).start();
            closeLater.addFirst(sink);
            sinkPid = newChildPid(before);
            sender.dial(sink.addr());
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "  js-libp2p: skipped: %s%n", e.getMessage());
            return pairs;
        }
        long self = ProcessHandle.current().pid();
        String js = "js-libp2p " + JsPeer.LIBP2P_VERSION;
        pairs.add(new TransferRounds.Pair(JS_JS, "js → js", "TCP + Noise + yamux", "node → node (" + js + ")",
                senderPid, sinkPid, bytes -> jsSend(sender, sink.peerId().toString(), bytes)));
        try {
            host.connect(sink.addr());
            pairs.add(new TransferRounds.Pair(null, "Java → js", "TCP + Noise + yamux", "this JVM → node", self, sinkPid,
                    bytes -> {
                        Stream stream = host.newStream(sink.peerId(), SinkProtocol.PROTOCOL_ID);
                        try (stream) {
                            return SinkProtocol.send(stream.out(), stream::closeWrite, stream.in(), bytes);
                        }
                    }));
        } catch (IOException | RuntimeException e) {
            System.out.printf(Locale.ROOT, "  Java → js: skipped: %s%n", e);
        }
        try {
            sender.dial(child.hostAddress());
            pairs.add(new TransferRounds.Pair(null, "js → Java", "TCP + Noise + yamux", "node → child JVM", senderPid,
                    child.pid(), bytes -> jsSend(sender, child.peerId().toString(), bytes)));
        } catch (RuntimeException e) {
            System.out.printf(Locale.ROOT, "  js → Java: skipped: %s%n", e.getMessage());
        }
        return pairs;
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The pid of the one child started since {@code before}, or 0 if that is not clear (no CPU figures then). */
    private static long newChildPid(Set<Long> before) {
        List<Long> fresh = ProcessHandle.current().children().map(ProcessHandle::pid).filter(p -> !before.contains(p)).toList();
        return fresh.size() == 1 ? fresh.getFirst() : 0;
    }

    private static long jsSend(JsPeer sender, String peer, long bytes) {
        JsonNode result = sender.command("bench-send", Map.of("peer", peer, "bytes", bytes));
        if (result.path("bytes").asLong() != bytes) {
            throw new IllegalStateException("js bench-send reported " + result + "; expected " + bytes + " bytes");
        }
        return Math.round(result.path("ms").asDouble() * 1e6);
    }

}
