package org.parley.libp2p.protocol.autonat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.protocol.autonat.wire.AutoNatCodec;
import org.parley.libp2p.protocol.autonat.wire.AutoNatMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of AutoNAT v1: asks connected peers that serve {@value AutoNatService#PROTOCOL_ID}
 * to dial us back, feeds their answers to a {@link ReachabilityTracker} and says when our
 * {@link Reachability} changes. Rounds run after {@link #BOOT_DELAY}, then every
 * {@link #RETRY_INTERVAL} while unknown and every {@link #REFRESH_INTERVAL} once known. Thread safe.
 */
public final class AutoNat implements AutoCloseable {

    /** go's boot delay: time for the first connections and identifies to arrive. */
    public static final Duration BOOT_DELAY = Duration.ofSeconds(15);
    /** go's retry interval while we do not know yet. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(90);
    /** go's refresh interval: NAT mappings and networks change, but not by the minute. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(15);
    /** Servers asked per round: enough to reach the confidence threshold in one round. */
    public static final int SERVERS_PER_ROUND = ReachabilityTracker.CONFIDENCE_THRESHOLD;
    /** How long we wait for a server's answer: its dial-back timeout plus a margin. */
    static final Duration ANSWER_TIMEOUT = AutoNatService.DIAL_TIMEOUT.plusSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(AutoNat.class);

    private final Host host;
    private final ReachabilityTracker tracker;
    private ScheduledExecutorService timer;

    public AutoNat(Host host, ReachabilityTracker tracker) {
        this.host = host;
        this.tracker = tracker;
    }

    /** Starts the rounds in the background. */
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("autonat").factory());
        timer.schedule(this::roundAndReschedule, BOOT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What we believe now. */
    public Reachability reachability() {
        return tracker.reachability();
    }

    /** Calls {@code listener} with each later change of our reachability. */
    public void onChange(Consumer<Reachability> listener) {
        tracker.onChange(listener);
    }

    /**
     * Runs one round now, on the calling thread: asks up to {@link #SERVERS_PER_ROUND} connected
     * servers and returns what we believe afterwards.
     */
    public Reachability probeNow() {
        List<PeerId> servers = servers();
        for (PeerId server : servers) {
            try {
                AutoNatMessage.DialResponse answer = ask(host, server);
                switch (answer.status()) {
                    case OK -> tracker.record(server, true);
                    case E_DIAL_ERROR -> tracker.record(server, false);
                    default -> log.debug("AutoNAT server {} answered {} ({})", server, answer.status(),
                            answer.statusText());
                }
            } catch (IOException e) {
                log.debug("AutoNAT server {} did not answer: {}", server, e.getMessage());
            }
        }
        return tracker.reachability();
    }

    /**
     * Asks {@code server} to dial us back at our listen addresses and at the IPs peers observed us
     * at (see {@link #candidates}).
     *
     * @throws IOException if it cannot be reached, breaks the protocol or does not answer in time
     */
    public static AutoNatMessage.DialResponse ask(Host host, PeerId server) throws IOException {
        List<Multiaddr> observed = new ArrayList<>();
        for (Connection connection : host.connections()) {
            if (connection.observedAddress() != null) {
                observed.add(connection.observedAddress());
            }
        }
        return ask(host, server, candidates(host.listenAddresses(), observed));
    }

    /**
     * The addresses we ask to be dialed at: our direct listen addresses, then each IP peers observed
     * us at combined with each of our TCP listen ports, which is where a NAT with a port forward
     * (or a VPS whose public IP is not on an interface) is reachable. At most
     * {@link AutoNatCodec#MAX_ADDRESSES}, without repeats.
     */
    static List<Multiaddr> candidates(List<Multiaddr> listen, List<Multiaddr> observed) {
        Set<Multiaddr> out = new LinkedHashSet<>();
        List<Integer> ports = new ArrayList<>();
        for (Multiaddr address : listen) {
            if (AutoNatService.isRelayed(address) || address.ipBytes() == null) {
                continue;
            }
            out.add(address.withoutPeerId());
            try {
                ports.add(address.toTcpSocketAddress().getPort());
            } catch (IllegalStateException notTcp) {
                // Only TCP listen ports can be guessed behind an observed IP.
            }
        }
        for (Multiaddr seen : observed) {
            byte[] ip = seen.ipBytes();
            if (ip == null || AutoNatService.isRelayed(seen)) {
                continue;
            }
            for (int port : ports) {
                try {
                    out.add(Multiaddr.tcp(java.net.InetAddress.getByAddress(ip), port));
                } catch (java.net.UnknownHostException impossible) {
                    throw new IllegalStateException("a 4- or 16-byte IP is always valid", impossible);
                }
            }
        }
        return out.stream().limit(AutoNatCodec.MAX_ADDRESSES).toList();
    }

    /** Asks {@code server} to dial us back at exactly {@code addresses}. */
    static AutoNatMessage.DialResponse ask(Host host, PeerId server, List<Multiaddr> addresses) throws IOException {
        try (Stream stream = host.newStream(server, AutoNatService.PROTOCOL_ID);
                StreamDeadline deadline = StreamDeadline.start(stream, ANSWER_TIMEOUT)) {
            AutoNatCodec.write(stream.out(), new AutoNatMessage.Dial(host.peerId(), addresses));
            AutoNatMessage answer = AutoNatCodec.read(stream.in());
            if (!(answer instanceof AutoNatMessage.DialResponse response)) {
                throw new org.parley.libp2p.core.PeerFaultException("AutoNAT server " + server
                        + " answered a DIAL with a DIAL");
            }
            return response;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void roundAndReschedule() {
        Reachability now = Reachability.UNKNOWN;
        try {
            now = probeNow();
        } catch (RuntimeException e) {
            log.warn("AutoNAT round failed", e);
        }
        Duration next = now == Reachability.UNKNOWN ? RETRY_INTERVAL : REFRESH_INTERVAL;
        synchronized (this) {
            if (!timer.isShutdown()) {
                timer.schedule(this::roundAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private List<PeerId> servers() {
        Set<PeerId> peers = new LinkedHashSet<>();
        for (Connection connection : host.connections()) {
            if (!connection.limited()
                    && host.peerstore().supports(connection.remotePeer(), AutoNatService.PROTOCOL_ID)) {
                peers.add(connection.remotePeer());
            }
        }
        List<PeerId> shuffled = new ArrayList<>(peers);
        Collections.shuffle(shuffled);
        return shuffled.subList(0, Math.min(SERVERS_PER_ROUND, shuffled.size()));
    }
}
