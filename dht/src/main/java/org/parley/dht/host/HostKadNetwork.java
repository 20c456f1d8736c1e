package org.parley.dht.host;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.dht.net.KadInbound;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.rpc.KadCodec;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.host.Stream;
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
 * <p>Outbound streams are kept for reuse for a short while after an exchange; a reused stream the
 * peer has meanwhile closed is replaced once. ADD_PROVIDER, which gets no answer (go sends none,
 * the ipfs spec says echo), goes on a stream of its own that is closed right after the write, so
 * a stray echo can never be read as the answer to a later request.
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

    private static final Logger LOG = LoggerFactory.getLogger(HostKadNetwork.class);

    private record Idle(Stream stream, Instant since) {}

    private final Host host;
    private final StreamTimer timer = new StreamTimer();
    private final Map<PeerId, Deque<Idle>> idle = new HashMap<>();

    public HostKadNetwork(Host host) {
        this.host = host;
    }

    @Override
    public boolean connect(PeerRef peer, Duration timeout) throws IOException {
        learnAddresses(peer);
        BoundedCall.run("no connection to " + peer.id(), timeout, call -> host.connect(peer.id()));
        return host.peerstore().supports(peer.id(), KadProtocol.PROTOCOL_ID);
    }

    @Override
    public KadMessage request(PeerRef peer, KadMessage request, Duration timeout) throws IOException {
        learnAddresses(peer);
        return BoundedCall.run("no kad answer from " + peer.id(), timeout, call -> {
            Stream pooled = takeIdle(peer.id());
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
        synchronized (idle) {
            idle.values().forEach(q -> q.forEach(i -> i.stream().close()));
            idle.clear();
        }
        timer.close();
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
            putIdle(stream);
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

    private void learnAddresses(PeerRef peer) {
        if (!peer.addrs().isEmpty()) {
            host.peerstore().addAddresses(peer.id(), peer.addrs(), Peerstore.TEMPORARY_TTL);
        }
    }

    private Stream takeIdle(PeerId peer) {
        Instant staleBefore = Instant.now().minus(OUTBOUND_IDLE_REUSE);
        synchronized (idle) {
            Deque<Idle> q = idle.get(peer);
            while (q != null && !q.isEmpty()) {
                Idle i = q.pollLast();
                if (q.isEmpty()) {
                    idle.remove(peer);
                }
                if (i.since().isAfter(staleBefore)) {
                    return i.stream();
                }
                i.stream().close();
            }
            return null;
        }
    }

    private void putIdle(Stream stream) {
        synchronized (idle) {
            Deque<Idle> q = idle.computeIfAbsent(stream.remotePeer(), p -> new ArrayDeque<>());
            if (q.size() >= IDLE_STREAMS_PER_PEER) {
                q.pollFirst().stream().close();
            }
            q.addLast(new Idle(stream, Instant.now()));
        }
    }

}
