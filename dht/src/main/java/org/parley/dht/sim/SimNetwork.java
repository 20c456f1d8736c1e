package org.parley.dht.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.parley.dht.net.KadInbound;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.net.KadTimeoutException;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadCodec;
import org.parley.dht.rpc.KadMessage;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * An in-memory network of DHT nodes in one JVM: each node gets an {@link Endpoint} (its
 * {@link KadNetwork}), and a request runs the target's handler directly on the caller's virtual
 * thread. Thread safe.
 *
 * <p>Latency, when configured, is a sleep of the requesting virtual thread, which costs no CPU, so
 * thousands of lookups can wait at once. A request to a node that is down, that does not serve,
 * or that the loss model drops, fails as a timeout; with zero latency it fails at once instead of
 * after the timeout, which changes no lookup decision and keeps the simulation fast.
 *
 * <p>The simulation models no connections: a node knows other peers' addresses only from its
 * routing table and from answers, so {@link Endpoint#knownAddresses} is always empty.
 *
 * @see DhtSimulation
 */
public final class SimNetwork {

    /**
     * How the network behaves.
     *
     * @param latency round-trip time of every request
     * @param jitter extra round-trip time, uniformly random in {@code [0, jitter]}
     * @param lossRate probability that a request goes unanswered
     * @param wireCodec true to pass every message through {@link KadCodec} both ways, as bytes
     *     would on a real stream (slower; for tests of the codec under load)
     */
    public record Options(Duration latency, Duration jitter, double lossRate, boolean wireCodec) {

        public Options {
            if (lossRate < 0 || lossRate >= 1) {
                throw new IllegalArgumentException("loss rate must be in [0, 1), got " + lossRate);
            }
        }

        /** No latency, no loss, no encoding: the fastest setting. */
        public static Options instant() {
            return new Options(Duration.ZERO, Duration.ZERO, 0, false);
        }
    }

    private final Options options;
    private final Map<PeerId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final LongAdder messages = new LongAdder();

    public SimNetwork(Options options) {
        this.options = options;
    }

    /** Attaches a node; its endpoint is its {@link KadNetwork}. */
    public Endpoint attach(PeerRef self) {
        Endpoint e = new Endpoint(self);
        if (endpoints.putIfAbsent(self.id(), e) != null) {
            throw new IllegalArgumentException("peer " + self.id() + " is already attached");
        }
        return e;
    }

    /** Attaches a peer that answers with {@code behaviour} instead of running the DHT. */
    public Endpoint attach(PeerRef self, SimBehaviour behaviour) {
        Endpoint e = attach(self);
        e.behaviour = behaviour;
        return e;
    }

    public Endpoint endpoint(PeerId peer) {
        return endpoints.get(peer);
    }

    /** Requests and one-way messages sent so far. */
    public long messages() {
        return messages.sum();
    }

    /** One node's view of the network. Thread safe. */
    public final class Endpoint implements KadNetwork {
        private final PeerRef self;
        private volatile KadInbound inbound;
        private volatile SimBehaviour behaviour;
        private volatile boolean down;
        private volatile BiConsumer<PeerRef, Boolean> identified = (peer, server) -> { };

        private Endpoint(PeerRef self) {
            this.self = self;
        }

        public PeerRef self() {
            return self;
        }

        /** Takes the node off the network without notice (or brings it back). */
        public void setDown(boolean value) {
            down = value;
        }

        /** Makes the peer answer with {@code b} instead of its DHT code (null to restore it). */
        void setBehaviour(SimBehaviour b) {
            behaviour = b;
        }

        public boolean isDown() {
            return down;
        }

        /** Whether the node currently accepts kad requests. */
        public boolean isServing() {
            return !down && (inbound != null || behaviour != null);
        }

        /**
         * Called when a serving peer first talks to this node, as identify would report it; the
         * harness points this at the node's {@code KadDht.peerIdentified}.
         */
        public void onPeerIdentified(BiConsumer<PeerRef, Boolean> listener) {
            identified = listener;
        }

        @Override
        public boolean connect(PeerRef peer, Duration timeout) throws IOException {
            if (down) {
                throw new ConnectionClosedException("this node is down");
            }
            Endpoint target = endpoints.get(peer.id());
            if (target == null || target.down) {
                throw unreachable(peer, timeout);
            }
            target.identified.accept(self, inbound != null);
            return target.isServing();
        }

        @Override
        public KadMessage request(PeerRef peer, KadMessage request, Duration timeout) throws IOException {
            Optional<KadMessage> answer = deliver(peer, request, timeout);
            if (answer.isEmpty()) {
                throw new ConnectionClosedException(peer.id() + " closed the kad stream without answering "
                        + request.type());
            }
            return answer.get();
        }

        @Override
        public void send(PeerRef peer, KadMessage message, Duration timeout) throws IOException {
            deliver(peer, message, timeout);
        }

        @Override
        public void serve(KadInbound handler) {
            inbound = handler;
        }

        @Override
        public void stopServing() {
            inbound = null;
        }

        @Override
        public List<Multiaddr> localAddrs() {
            return self.addrs();
        }

        @Override
        public List<Multiaddr> knownAddresses(PeerId peer) {
            return List.of();
        }

        private Optional<KadMessage> deliver(PeerRef peer, KadMessage message, Duration timeout) throws IOException {
            messages.increment();
            if (down) {
                throw new ConnectionClosedException("this node is down");
            }
            Endpoint target = endpoints.get(peer.id());
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (target == null || !target.isServing()
                    || (options.lossRate() > 0 && random.nextDouble() < options.lossRate())) {
                throw unreachable(peer, timeout);
            }
            Duration rtt = options.latency();
            if (!options.jitter().isZero()) {
                rtt = rtt.plusNanos(random.nextLong(options.jitter().toNanos() + 1));
            }
            sleep(rtt.compareTo(timeout) > 0 ? timeout : rtt);
            if (rtt.compareTo(timeout) > 0) {
                throw new KadTimeoutException("no kad answer from " + peer.id() + " within " + timeout);
            }
            if (inbound != null) {
                target.identified.accept(self, true);
            }
            KadMessage request = options.wireCodec() ? KadCodec.decode(KadCodec.encode(message)) : message;
            Optional<KadMessage> answer;
            try {
                SimBehaviour b = target.behaviour;
                KadInbound handler = target.inbound;
                if (b != null) {
                    answer = b.answer(self.id(), request);
                } else if (handler != null) {
                    answer = handler.handle(self.id(), request);
                } else {
                    throw new KadTimeoutException(peer.id() + " stopped serving");
                }
            } catch (KadTimeoutException e) {
                throw e;
            } catch (Libp2pException e) {
                throw new ConnectionClosedException(peer.id() + " refused " + message.type() + ": " + e.getMessage(), e);
            }
            if (answer.isPresent() && options.wireCodec()) {
                answer = Optional.of(KadCodec.decode(KadCodec.encode(answer.get())));
            }
            return answer;
        }
    }

    /** Waits as long as a real peer that never answers would make us wait, then says so. */
    private KadTimeoutException unreachable(PeerRef peer, Duration timeout) throws IOException {
        if (!options.latency().isZero() || !options.jitter().isZero()) {
            sleep(timeout);
        }
        return new KadTimeoutException("no kad answer from " + peer.id() + " within " + timeout);
    }

    private static void sleep(Duration d) throws IOException {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while waiting for the simulated network");
        }
    }
}
