package org.parley.libp2p.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.SecureChannel;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.parley.libp2p.noise.NoiseTransport;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.yamux.Yamux;
import org.parley.libp2p.yamux.YamuxConfig;

/**
 * Times opening connections one after the other to a {@link BenchPeer}'s host, each closed before
 * the next: the dialer's upgrade alone (what the Host's upgrader does, rebuilt here from the public
 * pieces so that identify is left out), and {@link Host#connect}, which also waits for identify.
 * Not thread safe; runs on the caller's thread.
 */
final class ConnectionSetupBench {

    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final Multiaddr target;
    private final int warmup;
    private final int count;

    ConnectionSetupBench(Multiaddr target, int warmup, int count) {
        this.target = target;
        this.warmup = warmup;
        this.count = count;
    }

    /** Nanoseconds per TCP connect, for scale. */
    Samples tcpOnly() throws IOException {
        TcpTransport tcp = new TcpTransport();
        Multiaddr address = target.withoutPeerId();
        return measure(() -> {
            long start = System.nanoTime();
            TcpConnection raw = tcp.dial(address, DIAL_TIMEOUT);
            long elapsed = System.nanoTime() - start;
            raw.close();
            return elapsed;
        });
    }

    /**
     * Nanoseconds from the TCP connect until the dialer's yamux session is ready: multistream-select
     * {@code /noise}, Noise XX with yamux agreed in its handshake (or multistream-select of yamux
     * after it, if the listener did not agree early), yamux session started. The listener's
     * identify request, which arrives right after, is not waited for.
     */
    Samples upgradeOnly() throws IOException {
        TcpTransport tcp = new TcpTransport();
        NoiseTransport noise = new NoiseTransport(Ed25519PrivateKey.generate());
        Yamux yamux = new Yamux(YamuxConfig.DEFAULT);
        Multiaddr address = target.withoutPeerId();
        PeerId expected = target.peerId();
        return measure(() -> {
            long start = System.nanoTime();
            TcpConnection raw = tcp.dial(address, DIAL_TIMEOUT);
            MuxedSession session;
            try {
                MultistreamSelect.select(raw, List.of(NoiseTransport.PROTOCOL_ID));
                SecureChannel channel = noise.secureOutbound(raw, expected, List.of(Yamux.PROTOCOL_ID), HANDSHAKE_TIMEOUT);
                if (channel.earlyMuxer() == null) {
                    MultistreamSelect.select(channel, List.of(Yamux.PROTOCOL_ID));
                }
                session = yamux.newSession(channel, true);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
            long elapsed = System.nanoTime() - start;
            session.close();
            return elapsed;
        });
    }

    /** Nanoseconds per {@link Host#connect}: dial, upgrade, and our identify request answered. */
    Samples hostConnect() throws IOException {
        try (Host client = Host.builder().identity(Ed25519PrivateKey.generate()).build()) {
            client.start();
            return measure(() -> {
                long start = System.nanoTime();
                Connection connection = client.connect(target);
                long elapsed = System.nanoTime() - start;
                connection.close();
                return elapsed;
            });
        }
    }

    @FunctionalInterface
    private interface TimedConnection {
        long nanos() throws IOException;
    }

    private Samples measure(TimedConnection connection) throws IOException {
        for (int i = 0; i < warmup; i++) {
            connection.nanos();
        }
        double[] nanos = new double[count];
        for (int i = 0; i < count; i++) {
            nanos[i] = connection.nanos();
        }
        return Samples.of(nanos);
    }
}
