package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.dht.KadDht;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.ParleyRecord;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

/**
 * The DHT endpoints: {@code POST /api/dht/find-peer}, {@code provide}, {@code providers},
 * {@code get}, {@code put} and {@code GET /api/dht/routing-table}. Lookups block the request's
 * virtual thread. Thread safe.
 */
public final class DhtRoutes implements ApiRoutes {

    /** As many providers as one GET_PROVIDERS answer from a full bucket carries. */
    static final int DEFAULT_PROVIDER_LIMIT = 20;
    /** Beyond a few hundred providers a list is for a crawler, not for a person or a script. */
    static final int MAX_PROVIDER_LIMIT = 1000;

    /** A peer as the DHT knows it. */
    public record DhtPeer(String peerId, List<String> addresses) {}

    /** {@code find-peer}. */
    public record FindPeerAnswer(String peerId, List<String> addresses) {}

    /** {@code provide}. */
    public record ProvideAnswer(String key, int announcedTo) {}

    /** {@code providers}. */
    public record ProvidersAnswer(String key, List<DhtPeer> providers) {}

    /**
     * {@code get}: the value as UTF-8 text (null if it is not text) and as base64; for a /parley/
     * record these are its data, with its signer and sequence number.
     */
    public record GetAnswer(String key, String value, String valueBase64, int copies, String signer, Long seq) {}

    /** {@code put}. */
    public record PutAnswer(String key, long seq, int storedOn) {}

    /** One k-bucket of {@code routing-table}. */
    public record Bucket(int index, List<DhtPeer> peers) {}

    /** {@code routing-table}. */
    public record RoutingTableAnswer(String mode, int size, List<Bucket> buckets) {}

    private final KadDht dht;
    private final PrivateKey identity;
    private final PeerId self;
    /** The seq of our last put: each put must supersede the one before, even within one millisecond. */
    private final AtomicLong lastSeq = new AtomicLong();

    public DhtRoutes(KadDht dht, PrivateKey identity) {
        this.dht = dht;
        this.identity = identity;
        this.self = PeerId.fromPublicKey(identity.publicKey());
    }

    @Override
    public void addTo(Javalin app) {
        app.post("/api/dht/find-peer", this::findPeer);
        app.post("/api/dht/provide", this::provide);
        app.post("/api/dht/providers", this::providers);
        app.post("/api/dht/get", this::get);
        app.post("/api/dht/put", this::put);
        app.get("/api/dht/routing-table", ctx -> ctx.json(routingTable()));
    }

    private void findPeer(Context ctx) {
        PeerId peer = NodeRoutes.parsePeerId(ApiJson.requiredText(ApiJson.body(ctx), "peer"));
        requirePeers(dht);
        FindPeerResult result = dht.findPeer(peer);
        PeerRef found = result.peer().orElseThrow(() -> ApiException.notFound("peer " + peer
                + " was not found in the DHT (asked " + result.stats().requests() + " peers in "
                + result.stats().rounds() + " rounds)"));
        ctx.json(new FindPeerAnswer(found.id().toBase58(), addresses(found)));
    }

    private void provide(Context ctx) {
        DhtKeys.ProviderKey key = providerKey(ctx);
        requirePeers(dht);
        int announced;
        try {
            announced = dht.provide(key.bytes());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ctx.json(new ProvideAnswer(key.text(), announced));
    }

    private void providers(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        DhtKeys.ProviderKey key = DhtKeys.providerKey(ApiJson.requiredText(body, "key"), self,
                identity.publicKey().marshal());
        int limit = ApiJson.optionalInt(body, "limit", DEFAULT_PROVIDER_LIMIT, 1, MAX_PROVIDER_LIMIT);
        requirePeers(dht);
        ProvidersResult result = dht.findProviders(key.bytes(), limit, provider -> { });
        ctx.json(new ProvidersAnswer(key.text(),
                result.providers().stream().map(p -> new DhtPeer(p.id().toBase58(), addresses(p))).toList()));
    }

    private void get(Context ctx) {
        DhtKeys.RecordKey key = DhtKeys.recordKey(ApiJson.requiredText(ApiJson.body(ctx), "key"), self);
        GetValueResult result = dht.getValue(key.bytes());
        byte[] value = result.value().orElseThrow(() -> ApiException.notFound("no record found under " + key.text()
                + (dht.routingTable().size() == 0 ? "; the node knows no DHT servers yet: start it with --bootstrap" : "")));
        String signer = null;
        Long seq = null;
        if (ParleyRecord.NAMESPACE.equals(key.namespace())) {
            try {
                ParleyRecord record = ParleyRecord.parse(key.bytes(), value);
                value = record.data();
                signer = record.signer().toBase58();
                seq = record.seq();
            } catch (InvalidRecordException e) {
                throw new ApiException(502, ApiException.UNREACHABLE, "the DHT returned an invalid record for "
                        + key.text() + ": " + e.getMessage(), e);
            }
        }
        ctx.json(new GetAnswer(key.text(), DhtKeys.utf8OrNull(value), Base64.getEncoder().encodeToString(value),
                result.copies(), signer, seq));
    }

    private void put(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        DhtKeys.RecordKey key = DhtKeys.recordKey(ApiJson.requiredText(body, "key"), self);
        byte[] data = ApiJson.requiredText(body, "value").getBytes(StandardCharsets.UTF_8);
        if (!ParleyRecord.NAMESPACE.equals(key.namespace()) || !key.peer().equals(self)) {
            throw ApiException.badRequest("only /parley/" + self + "/<name> (or /parley/self/<name>) can be put:"
                    + " the node signs the record with its own key, and nobody can sign for another peer");
        }
        requirePeers(dht);
        long seq = lastSeq.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis()));
        ParleyRecord record;
        try {
            record = ParleyRecord.sign(identity, key.name(), seq, data);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int stored;
        try {
            stored = dht.putValue(record.key(), record.value());
        } catch (InvalidRecordException e) {
            throw ApiException.badRequest("the record was refused: " + e.getMessage());
        }
        ctx.json(new PutAnswer(key.text(), seq, stored));
    }

    RoutingTableAnswer routingTable() {
        Map<Integer, List<DhtPeer>> byBucket = new TreeMap<>();
        for (RoutingTable.EntryInfo entry : dht.routingTable().entries()) {
            byBucket.computeIfAbsent(entry.bucket(), b -> new ArrayList<>())
                    .add(new DhtPeer(entry.peer().id().toBase58(), addresses(entry.peer())));
        }
        List<Bucket> buckets = new ArrayList<>();
        byBucket.forEach((index, peers) -> buckets.add(new Bucket(index, peers)));
        return new RoutingTableAnswer(dht.mode().name().toLowerCase(java.util.Locale.ROOT),
                dht.routingTable().size(), buckets);
    }

    private DhtKeys.ProviderKey providerKey(Context ctx) {
        return DhtKeys.providerKey(ApiJson.requiredText(ApiJson.body(ctx), "key"), self,
                identity.publicKey().marshal());
    }

    /** A lookup with an empty routing table asks nobody; say why instead of "not found". */
    static void requirePeers(KadDht dht) {
        if (dht.routingTable().size() == 0) {
            throw new ApiException(503, ApiException.UNAVAILABLE, "the node knows no DHT servers yet, so it cannot"
                    + " ask the DHT: start it with --bootstrap <multiaddr of a DHT server>, or connect to one"
                    + " (parley connect MULTIADDR)");
        }
    }

    /** The peer's addresses as full multiaddrs, {@code .../p2p/<PeerId>}. */
    static List<String> addresses(PeerRef peer) {
        return peer.addrs().stream().map(a -> a.withPeerId(peer.id())).map(Multiaddr::toString).toList();
    }
}
