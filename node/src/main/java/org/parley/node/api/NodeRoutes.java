package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.ConnectionLimitException;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.ListenAddresses;

/**
 * The endpoints about this node and its libp2p connections: {@code GET /api/id},
 * {@code GET /api/peers}, {@code POST /api/ping}, {@code POST /api/connect}, and a status page at
 * {@code /}. Thread safe.
 */
public final class NodeRoutes implements ApiRoutes {

    /** Enough to see jitter; more belongs in a benchmark. */
    public static final int MAX_PING_COUNT = 100;
    static final int DEFAULT_PING_COUNT = 1;

    /**
     * {@code GET /api/id}; {@code rendezvousKey} is the base58btc multihash under which this device
     * announces itself as its user's device (see {@link org.parley.dht.UserRendezvous}).
     */
    public record IdAnswer(String peerId, String rendezvousKey, List<String> addresses, String agentVersion,
            List<String> protocols) {}

    /** One connected peer in {@code GET /api/peers}; agentVersion and latencyMs are null until known. */
    public record PeerAnswer(String peerId, List<String> addresses, String direction, String agentVersion,
            List<String> protocols, Double latencyMs) {}

    /** {@code GET /api/peers}. */
    public record PeersAnswer(List<PeerAnswer> peers) {}

    /** {@code POST /api/ping}. */
    public record PingAnswer(String peerId, int count, List<Double> rttMs, double averageMs) {}

    /** {@code POST /api/connect}. */
    public record ConnectAnswer(String peerId, String address) {}

    private final Host host;
    private final String agentVersion;
    private final String rendezvousKey;
    private final PeerLocator locator;

    /**
     * @param rendezvousKey the multihash this device provides on the DHT for its user
     * @param locator asked for the addresses of a peer to ping that the host knows nothing about
     */
    public NodeRoutes(Host host, String agentVersion, byte[] rendezvousKey, PeerLocator locator) {
        this.host = host;
        this.agentVersion = agentVersion;
        this.rendezvousKey = Base58.encode(rendezvousKey);
        this.locator = locator;
    }

    @Override
    public void addTo(Javalin app) {
        app.get("/", ctx -> ctx.html(statusPage()));
        app.get("/api/id", ctx -> ctx.json(id()));
        app.get("/api/peers", ctx -> ctx.json(peers()));
        app.post("/api/ping", this::ping);
        app.post("/api/connect", this::connect);
    }

    IdAnswer id() {
        return new IdAnswer(host.peerId().toBase58(), rendezvousKey,
                ListenAddresses.dialable(host.listenAddresses(), host.peerId()).stream().map(Multiaddr::toString).toList(),
                agentVersion,
                host.protocols().stream().sorted().toList());
    }

    /**
     * A plain page at the URL the node prints, until the web-ui module is served there: who this
     * node is and whom it is connected to.
     */
    String statusPage() {
        IdAnswer id = id();
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Parley node</title>")
                .append("<h1>Parley node</h1><p>peer-id: <code>").append(escape(id.peerId())).append("</code></p>")
                .append("<p>rendezvous: <code>").append(escape(id.rendezvousKey())).append("</code></p>")
                .append("<h2>Listen addresses</h2><ul>");
        id.addresses().forEach(a -> html.append("<li><code>").append(escape(a)).append("</code>"));
        html.append("</ul><h2>Connected peers</h2><ul>");
        peers().peers().forEach(p -> html.append("<li><code>").append(escape(p.peerId())).append("</code> ")
                .append(escape(p.agentVersion() == null ? "" : p.agentVersion())));
        return html.append("</ul>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    PeersAnswer peers() {
        Map<PeerId, List<Connection>> byPeer = new LinkedHashMap<>();
        for (Connection connection : host.connections()) {
            byPeer.computeIfAbsent(connection.remotePeer(), p -> new ArrayList<>()).add(connection);
        }
        Peerstore store = host.peerstore();
        List<PeerAnswer> peers = new ArrayList<>();
        for (Map.Entry<PeerId, List<Connection>> entry : byPeer.entrySet()) {
            PeerId peer = entry.getKey();
            List<Connection> connections = entry.getValue();
            peers.add(new PeerAnswer(peer.toBase58(),
                    connections.stream().map(c -> c.remoteAddress().withPeerId(peer).toString()).distinct().toList(),
                    connections.getFirst().isInitiator() ? "outbound" : "inbound",
                    store.agentVersion(peer).orElse(null),
                    store.protocols(peer).stream().sorted().toList(),
                    store.latency(peer).map(NodeRoutes::millis).orElse(null)));
        }
        peers.sort(Comparator.comparing(PeerAnswer::peerId));
        return new PeersAnswer(peers);
    }

    private void ping(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        String peerText = ApiJson.optionalText(body, "peer");
        String addressText = ApiJson.optionalText(body, "multiaddr");
        int count = ApiJson.optionalInt(body, "count", DEFAULT_PING_COUNT, 1, MAX_PING_COUNT);
        if ((peerText == null) == (addressText == null)) {
            throw ApiException.badRequest("give either 'peer' (a PeerId) or 'multiaddr', not "
                    + (peerText == null ? "neither" : "both"));
        }
        PeerId peer;
        if (addressText != null) {
            Multiaddr address = parseMultiaddr(addressText);
            peer = dial(address).remotePeer();
        } else {
            peer = parsePeerId(peerText);
            locateIfUnknown(peer);
        }
        List<Double> rtts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                rtts.add(millis(host.ping(peer)));
            } catch (ConnectException e) {
                throw new ApiException(502, ApiException.UNREACHABLE, "cannot reach " + peer + ": " + e.getMessage()
                        + "; if the node has no address for it, connect first (parley connect MULTIADDR)"
                        + " or look it up (parley dht find-peer " + peer + ")", e);
            } catch (IOException e) {
                throw failure("ping to " + peer + " failed", e);
            }
        }
        double average = rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        ctx.json(new PingAnswer(peer.toBase58(), count, rtts, round(average)));
    }

    /** Looks up a peer we have neither a connection nor an address for, and remembers what it finds. */
    private void locateIfUnknown(PeerId peer) {
        if (!host.connections(peer).isEmpty() || !host.peerstore().addresses(peer).isEmpty()) {
            return;
        }
        List<Multiaddr> found = locator.locate(peer);
        if (found.isEmpty()) {
            throw ApiException.notFound("peer " + peer + " is not connected, has no known address and was not"
                    + " found in the DHT; connect to it first (parley connect MULTIADDR)");
        }
        host.peerstore().addAddresses(peer, found, Peerstore.TEMPORARY_TTL);
    }

    private void connect(Context ctx) {
        Multiaddr address = parseMultiaddr(ApiJson.requiredText(ApiJson.body(ctx), "multiaddr"));
        Connection connection = dial(address);
        PeerId peer = connection.remotePeer();
        ctx.json(new ConnectAnswer(peer.toBase58(), connection.remoteAddress().withPeerId(peer).toString()));
    }

    private Connection dial(Multiaddr address) {
        try {
            return host.connect(address);
        } catch (IOException e) {
            throw failure("cannot connect to " + address, e);
        }
    }

    /** Maps a libp2p failure to the API's status codes. */
    static ApiException failure(String what, IOException e) {
        if (e instanceof ConnectionLimitException) {
            return new ApiException(503, ApiException.UNAVAILABLE, what + ": " + e.getMessage(), e);
        }
        if (e instanceof PeerFaultException) {
            return new ApiException(502, ApiException.UNREACHABLE, what + ": the peer broke the protocol: "
                    + e.getMessage(), e);
        }
        return new ApiException(502, ApiException.UNREACHABLE, what + ": " + e.getMessage(), e);
    }

    static Multiaddr parseMultiaddr(String text) {
        try {
            return Multiaddr.parse(text);
        } catch (InvalidMultiaddrException e) {
            throw ApiException.badRequest("bad multiaddr '" + text + "': " + e.getMessage());
        }
    }

    static PeerId parsePeerId(String text) {
        try {
            return PeerId.parse(text);
        } catch (IllegalArgumentException e) {
            // Text over the limit is not echoed: the message says how long it was.
            String shown = text.length() > PeerId.MAX_TEXT_LENGTH ? "" : " '" + text + "'";
            throw ApiException.badRequest("bad PeerId" + shown + ": " + e.getMessage()
                    + "; a PeerId looks like 12D3KooW... or Qm...");
        }
    }

    static double millis(Duration duration) {
        return round(duration.toNanos() / 1e6);
    }

    /** Microsecond precision: finer digits are noise on a shared machine. */
    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
