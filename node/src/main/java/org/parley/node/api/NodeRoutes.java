package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.ConnectionStats;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.api.dto.ConnectAnswer;
import org.parley.node.api.dto.ConnectRequest;
import org.parley.node.api.dto.ConnectionsAnswer;
import org.parley.node.api.dto.IdAnswer;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.node.api.dto.PeerAnswer;
import org.parley.node.api.dto.PeerConnectionAnswer;
import org.parley.node.api.dto.PeersAnswer;
import org.parley.node.api.dto.WebRtcAnswer;
import org.parley.node.api.dto.PingAnswer;
import org.parley.node.api.dto.PingRequest;
import org.parley.node.network.NetworkService;
import org.parley.node.network.PeerStatus;
import org.parley.node.network.PingResult;
import org.parley.node.service.UserInput;

/**
 * The endpoints about this node and its libp2p connections, translating to and from
 * {@link NetworkService}: {@code GET /api/id}, {@code GET /api/peers}, {@code POST /api/ping},
 * {@code POST /api/connect}. Thread safe.
 */
public final class NodeRoutes implements ApiRoutes {

    private final NetworkService network;
    private final Supplier<Optional<UserCard>> user;
    private final String agentVersion;
    private final String rendezvousKey;

    /** @param rendezvousKey the multihash this device provides on the DHT for its user */
    public NodeRoutes(NetworkService network, String agentVersion, byte[] rendezvousKey) {
        this(network, agentVersion, rendezvousKey, () -> Optional.empty());
    }

    /**
     * @param user the default identity's user ID and invite link, when this node has one
     */
    public NodeRoutes(NetworkService network, String agentVersion, byte[] rendezvousKey,
            Supplier<Optional<UserCard>> user) {
        this.user = user;
        this.network = network;
        this.agentVersion = agentVersion;
        this.rendezvousKey = Base58.encode(rendezvousKey);
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.ID, ctx -> ctx.json(id()));
        app.get(ApiPaths.PEERS, ctx -> ctx.json(peers()));
        app.post(ApiPaths.PING, this::ping);
        app.post(ApiPaths.CONNECT, this::connect);
    }

    IdAnswer id() {
        Optional<UserCard> card = user.get();
        return new IdAnswer(network.self().toBase58(), rendezvousKey,
                network.addresses().stream().map(Multiaddr::toString).toList(), agentVersion, network.protocols(),
                card.map(UserCard::userId).orElse(null), card.map(UserCard::inviteLink).orElse(null));
    }

    /** The default identity as {@code /api/id} shows it. */
    public record UserCard(String userId, String inviteLink) {}

    PeersAnswer peers() {
        List<PeerAnswer> peers = network.peers().stream().map(NodeRoutes::answer).toList();
        return new PeersAnswer(peers, answer(network.connectionStats()),
                new WebRtcAnswer(network.webrtc().available(), network.webrtc().unavailableReason().orElse(null)));
    }

    private static ConnectionsAnswer answer(ConnectionStats stats) {
        return new ConnectionsAnswer(stats.connections(), stats.pendingHandshakes(), stats.lowWater(),
                stats.highWater(), stats.maxConnections(), byName(stats.refused()), byName(stats.closed()),
                stats.peerFaults());
    }

    private static Map<String, Long> byName(Map<? extends Enum<?>, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((reason, count) -> named.put(reason.name().toLowerCase(Locale.ROOT), count));
        return named;
    }

    private static PeerAnswer answer(PeerStatus peer) {
        return new PeerAnswer(peer.peer().toBase58(), peer.addresses().stream().map(Multiaddr::toString).toList(),
                peer.outbound() ? "outbound" : "inbound", peer.agentVersion().orElse(null), peer.protocols(),
                peer.latency().map(NodeRoutes::millis).orElse(null), peer.transport(), peer.limited(),
                peer.connections().stream().map(c -> new PeerConnectionAnswer(c.address().toString(), c.transport(),
                        c.limited())).toList(),
                peer.webRtcFailure().orElse(null));
    }

    private void ping(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        String peerText = ApiJson.optionalText(body, PingRequest.PEER);
        String addressText = ApiJson.optionalText(body, PingRequest.MULTIADDR);
        int count = ApiJson.optionalInt(body, PingRequest.COUNT, NetworkService.DEFAULT_PING_COUNT, 1,
                NetworkService.MAX_PING_COUNT);
        if ((peerText == null) == (addressText == null)) {
            throw ApiException.badRequest("give either 'peer' (a PeerId) or 'multiaddr', not "
                    + (peerText == null ? "neither" : "both"));
        }
        PingResult result = addressText != null
                ? network.ping(UserInput.multiaddr(addressText), count)
                : network.ping(UserInput.peerId(peerText), count);
        List<Double> rtts = result.roundTrips().stream().map(NodeRoutes::millis).toList();
        double average = rtts.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        ctx.json(new PingAnswer(result.peer().toBase58(), count, rtts, round(average)));
    }

    private void connect(Context ctx) {
        Multiaddr address = UserInput.multiaddr(ApiJson.requiredText(ApiJson.body(ctx), ConnectRequest.MULTIADDR));
        Connection connection = network.connect(address);
        PeerId peer = connection.remotePeer();
        ctx.json(new ConnectAnswer(peer.toBase58(), connection.remoteAddress().withPeerId(peer).toString()));
    }

    static double millis(Duration duration) {
        return round(duration.toNanos() / 1e6);
    }

    /** Microsecond precision: finer digits are noise on a shared machine. */
    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
