package org.parley.dht.host;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.dht.net.KadInbound;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadCodec;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.dnsaddr.DnsaddrException;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT's network over a libp2p {@link Host}: kad requests on {@code /ipfs/kad/1.0.0} streams,
 * one length-prefixed request and response at a time, several in turn on one stream. Thread safe.
 *
 * <p>Each outbound call is bounded as a whole by its timeout, the dial and the stream negotiation
 * included (see {@link BoundedCall}): a peer that accepts TCP and then stays silent costs one
 * timeout, not the host's longer dial and handshake limits.
 *
 * <p>Outbound streams are kept for reuse for a short while after an exchange, in a bounded
 * {@link IdleStreamPool} that drops a stream when its connection closes, when it idles past
 * {@link #OUTBOUND_IDLE_REUSE}, or when {@link #MAX_IDLE_STREAMS} newer ones push it out; a
 * reused stream the peer has meanwhile closed is replaced once. Idle time comes from the injected
 * clock. ADD_PROVIDER, which gets no answer (go sends none, the ipfs spec says echo), goes on a
 * stream of its own that is closed right after the write, so a stray echo can never be read as
 * the answer to a later request.
 */
public final class HostKadNetwork implements KadNetwork, AutoCloseable {

    /**
     * An idle outbound stream is reused only this long: go resets inbound kad streams idle for a
     * minute, so half that leaves a wide margin.
     */
    public static final Duration OUTBOUND_IDLE_REUSE = Duration.ofSeconds(30);
    /** go-libp2p-kad-dht resets inbound streams idle for a minute; we do the same. */
    public static final Duration INBOUND_IDLE_TIMEOUT = Duration.ofMinutes(1);
    /** Idle streams kept per peer: concurrent requests to one peer are rare in a lookup. */
    static final int IDLE_STREAMS_PER_PEER = 2;
    /**
     * Idle streams kept in all. A lookup asks a few dozen peers (alpha 3 over about ten rounds);
     * with several lookups and the table refresh at once, 256 recently asked peers cover the reuse
     * that pays, while bounding what a node that asks many peers keeps open on its connections.
     */
    static final int MAX_IDLE_STREAMS = 256;
    /** How often expired idle streams are swept out even when no request comes. */
    static final Duration IDLE_SWEEP_INTERVAL = OUTBOUND_IDLE_REUSE;

    private static final Logger LOG = LoggerFactory.getLogger(HostKadNetwork.class);

    /** How the pool sees a host stream. */
    private static final IdleStreamPool.Streams<Stream, PeerId> HOST_STREAMS = new IdleStreamPool.Streams<>() {
        @Override
        public PeerId peer(Stream stream) {
            return stream.remotePeer();
        }

        @Override
        public Object connection(Stream stream) {
            return stream.connection();
        }

        @Override
        public boolean isUsable(Stream stream) {
            return stream.connection().isOpen();
        }

        @Override
        public void close(Stream stream) {
            stream.close();
        }
    };

    private final Host host;
    private final DnsaddrResolver dnsaddr;
    private final StreamTimer timer = new StreamTimer();
    private final IdleStreamPool<Stream, PeerId> idle;
    private final Subscription disconnects;

    /** A network over {@code host} with the system clock and the system's DNS servers. */
    public HostKadNetwork(Host host) {
        this(host, InstantSource.system(), DnsaddrResolver.system());
    }

    /** A network over {@code host} whose idle-stream expiry follows {@code clock}; the system's DNS servers. */
    public HostKadNetwork(Host host, InstantSource clock) {
        this(host, clock, DnsaddrResolver.system());
    }

    /**
     * A network over {@code host} whose idle-stream expiry follows {@code clock} and which resolves
     * {@code /dnsaddr/} bootstrap addresses with {@code dnsaddr}.
     */
    public HostKadNetwork(Host host, InstantSource clock, DnsaddrResolver dnsaddr) {
        this.host = host;
        this.dnsaddr = dnsaddr;
        this.idle = new IdleStreamPool<>(HOST_STREAMS, clock, OUTBOUND_IDLE_REUSE, IDLE_STREAMS_PER_PEER,
                MAX_IDLE_STREAMS);
        this.disconnects = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected lost) {
                idle.connectionClosed(lost.peer(), lost.connection());
            }
        });
        timer.repeat(idle::expire, IDLE_SWEEP_INTERVAL);
    }

    /**
     * Connects to {@code peer}, first resolving any {@code /dnsaddr/} among its addresses (as the
     * public bootstrap list has them) within the same timeout. Only here: addresses other peers
     * hand us in answers are never resolved, so hearsay cannot make us query DNS.
     */
    @Override
    public boolean connect(PeerRef peer, Duration timeout) throws IOException {
        BoundedCall.run("no connection to " + peer.id(), timeout, call -> {
            learnAddresses(withDnsaddrsResolved(peer));
            return host.connect(peer.id());
        });
        return host.peerstore().supports(peer.id(), KadProtocol.PROTOCOL_ID);
    }

    @Override
    public KadMessage request(PeerRef peer, KadMessage request, Duration timeout) throws IOException {
        learnAddresses(peer);
        return BoundedCall.run("no kad answer from " + peer.id(), timeout, call -> {
            Stream pooled = idle.take(peer.id());
            if (pooled != null) {
                try {
                    return exchange(call, call.use(pooled), request);
                } catch (IOException e) {
                    if (call.expired()) {
                        throw e;
                    }
                    LOG.debug("reused kad stream to {} failed ({}); opening a new one", peer.id(), e.getMessage());
                }
            }
            return exchange(call, call.use(host.newStream(peer.id(), KadProtocol.PROTOCOL_ID)), request);
        });
    }

    @Override
    public void send(PeerRef peer, KadMessage message, Duration timeout) throws IOException {
        learnAddresses(peer);
        BoundedCall.run("could not send kad " + message.type() + " to " + peer.id(), timeout, call -> {
            Stream stream = call.use(host.newStream(peer.id(), KadProtocol.PROTOCOL_ID));
            try {
                KadCodec.write(stream.out(), message);
                stream.closeWrite();
            } catch (IOException e) {
                stream.reset();
                throw e;
            }
            stream.close();
            return null;
        });
    }

    @Override
    public void serve(KadInbound inbound) {
        host.setHandler(KadProtocol.PROTOCOL_ID, stream -> serveStream(stream, inbound));
    }

    @Override
    public void stopServing() {
        host.removeHandler(KadProtocol.PROTOCOL_ID);
    }

    @Override
    public List<Multiaddr> localAddrs() {
        return host.listenAddresses();
    }

    /**
     * The peerstore's addresses of a peer that has identified itself to the host (connected now or
     * recently); none for a peer we only heard of from others, so hearsay alone never makes us
     * name a peer.
     */
    @Override
    public List<Multiaddr> knownAddresses(PeerId peer) {
        Peerstore peerstore = host.peerstore();
        return peerstore.protocols(peer).isEmpty() ? List.of() : peerstore.addresses(peer);
    }

    /** Closes pooled streams and stops the timer thread; the host stays up. */
    @Override
    public void close() {
        disconnects.close();
        timer.close();
        idle.close();
    }

    /** Idle outbound streams now pooled, for tests. */
    int idleStreams() {
        return idle.size();
    }

    /** Writes {@code request} on {@code stream} and reads the answer; keeps the stream for reuse if all went well. */
    private KadMessage exchange(BoundedCall call, Stream stream, KadMessage request) throws IOException {
        KadMessage answer;
        try {
            KadCodec.write(stream.out(), request);
            answer = KadCodec.read(stream.in());
            if (answer == null) {
                throw new ConnectionClosedException(stream.remotePeer() + " closed the kad stream without answering "
                        + request.type());
            }
        } catch (IOException e) {
            stream.reset();
            throw e;
        }
        if (call.expired()) {
            stream.reset();
        } else {
            idle.put(stream);
        }
        return answer;
    }

    /** Answers requests on one inbound stream until the peer ends it or idles too long. */
    private void serveStream(Stream stream, KadInbound inbound) throws IOException {
        PeerId sender = stream.remotePeer();
        while (true) {
            StreamTimer.Deadline deadline = timer.start(stream, INBOUND_IDLE_TIMEOUT);
            KadMessage request;
            try {
                request = KadCodec.read(stream.in());
            } catch (IOException e) {
                if (deadline.fired()) {
                    return;
                }
                throw e;
            } finally {
                deadline.cancel();
            }
            if (request == null) {
                return;
            }
            Optional<KadMessage> answer;
            try {
                answer = inbound.handle(sender, request);
            } catch (Libp2pException e) {
                LOG.debug("refused kad {} from {}: {}", request.type(), sender, e.getMessage());
                return;
            }
            if (answer.isPresent()) {
                KadCodec.write(stream.out(), answer.get());
            }
        }
    }

    /**
     * {@code peer} with each {@code /dnsaddr/} address replaced by what it resolves to for that
     * peer; fails only if no address is left.
     */
    private PeerRef withDnsaddrsResolved(PeerRef peer) throws DnsaddrException {
        if (peer.addrs().stream().noneMatch(DnsaddrResolver::isDnsaddr)) {
            return peer;
        }
        Set<Multiaddr> addrs = new LinkedHashSet<>();
        DnsaddrException failure = null;
        for (Multiaddr addr : peer.addrs()) {
            if (!DnsaddrResolver.isDnsaddr(addr)) {
                addrs.add(addr);
                continue;
            }
            try {
                for (Multiaddr resolved : dnsaddr.resolve(addr.withPeerId(peer.id()))) {
                    addrs.add(resolved.withoutPeerId());
                }
            } catch (DnsaddrException e) {
                LOG.debug("{}", e.getMessage());
                failure = e;
            }
        }
        if (addrs.isEmpty() && failure != null) {
            throw failure;
        }
        return new PeerRef(peer.id(), List.copyOf(addrs));
    }

    private void learnAddresses(PeerRef peer) {
        if (!peer.addrs().isEmpty()) {
            host.peerstore().addAddresses(peer.id(), peer.addrs(), Peerstore.TEMPORARY_TTL);
        }
    }
}
