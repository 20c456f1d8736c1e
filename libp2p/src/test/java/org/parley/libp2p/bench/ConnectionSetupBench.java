package org.parley.libp2p.bench;

import java.io.IOException;
import java.time.Duration;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.crypto.Aead;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.transport.tcp.TcpConnection;
import org.parley.libp2p.transport.tcp.TcpTransport;

/**
 * Times opening connections one after the other to a {@link BenchPeer}'s host, each closed before
 * the next: the dialer's upgrade alone (what the Host's upgrader does, rebuilt here from the public
 * pieces so that identify is left out), and {@link Host#connect}, which also waits for identify.
 * Not thread safe; runs on the caller's thread.
 */
final class ConnectionSetupBench {

    static final Duration DIAL_TIMEOUT = HandBuiltUpgrade.DIAL_TIMEOUT;

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
        HandBuiltUpgrade upgrade = new HandBuiltUpgrade(Ed25519PrivateKey.generate(), Aead.CHACHA20_POLY1305);
        return measure(() -> {
            long start = System.nanoTime();
            MuxedSession session = upgrade.dial(target);
            long elapsed = System.nanoTime() - start;
            session.close();
            return elapsed;
        });
    }

    /** Nanoseconds per {@link Host#connect}: dial, upgrade, and our identify request answered. */
    Samples hostConnect() throws IOException {
        try (Host client = Libp2p.newHost().identity(Ed25519PrivateKey.generate()).build()) {
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
