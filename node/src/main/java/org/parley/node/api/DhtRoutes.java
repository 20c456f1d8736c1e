package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.parley.dht.KadDht;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.api.dto.Bucket;
import org.parley.node.api.dto.DhtPeer;
import org.parley.node.api.dto.FindPeerAnswer;
import org.parley.node.api.dto.GetAnswer;
import org.parley.node.api.dto.KeyRequest;
import org.parley.node.api.dto.PeerRequest;
import org.parley.node.api.dto.ProvideAnswer;
import org.parley.node.api.dto.ProvidersAnswer;
import org.parley.node.api.dto.ProvidersRequest;
import org.parley.node.api.dto.PutAnswer;
import org.parley.node.api.dto.PutRequest;
import org.parley.node.api.dto.RoutingTableAnswer;
import org.parley.node.dht.DhtKeys;
import org.parley.node.dht.DhtService;
import org.parley.node.service.UserInput;

/**
 * The DHT endpoints, translating to and from {@link DhtService}: {@code POST /api/dht/find-peer},
 * {@code provide}, {@code providers}, {@code get}, {@code put} and
 * {@code GET /api/dht/routing-table}. Lookups block the request's virtual thread. Thread safe.
 */
public final class DhtRoutes implements ApiRoutes {

    private final DhtService service;

    public DhtRoutes(DhtService service) {
        this.service = service;
    }

    @Override
    public void addTo(Javalin app) {
        app.post(ApiPaths.DHT_FIND_PEER, this::findPeer);
        app.post(ApiPaths.DHT_PROVIDE, this::provide);
        app.post(ApiPaths.DHT_PROVIDERS, this::providers);
        app.post(ApiPaths.DHT_GET, this::get);
        app.post(ApiPaths.DHT_PUT, this::put);
        app.get(ApiPaths.DHT_ROUTING_TABLE, ctx -> ctx.json(routingTable()));
    }

    private void findPeer(Context ctx) {
        PeerId peer = UserInput.peerId(ApiJson.requiredText(ApiJson.body(ctx), PeerRequest.PEER));
        PeerRef found = service.findPeer(peer);
        ctx.json(new FindPeerAnswer(found.id().toBase58(), Answers.addresses(found)));
    }

    private void provide(Context ctx) {
        DhtKeys.ProviderKey key = service.providerKey(ApiJson.requiredText(ApiJson.body(ctx), KeyRequest.KEY));
        ctx.json(new ProvideAnswer(key.text(), service.provide(key)));
    }

    private void providers(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        DhtKeys.ProviderKey key = service.providerKey(ApiJson.requiredText(body, ProvidersRequest.KEY));
        int limit = ApiJson.optionalInt(body, ProvidersRequest.LIMIT, DhtService.DEFAULT_PROVIDER_LIMIT, 1,
                DhtService.MAX_PROVIDER_LIMIT);
        ProvidersResult result = service.providers(key, limit);
        ctx.json(new ProvidersAnswer(key.text(), result.providers().stream().map(Answers::dhtPeer).toList()));
    }

    private void get(Context ctx) {
        DhtKeys.RecordKey key = service.recordKey(ApiJson.requiredText(ApiJson.body(ctx), KeyRequest.KEY));
        DhtService.RecordRead read = service.get(key);
        byte[] value = read.value();
        ctx.json(new GetAnswer(key.text(), DhtKeys.utf8OrNull(value), Base64.getEncoder().encodeToString(value),
                read.copies(), read.signer().map(PeerId::toBase58).orElse(null), read.seq().orElse(null)));
    }

    private void put(Context ctx) {
        JsonNode body = ApiJson.body(ctx);
        DhtKeys.RecordKey key = service.recordKey(ApiJson.requiredText(body, PutRequest.KEY));
        byte[] data = ApiJson.requiredText(body, PutRequest.VALUE).getBytes(StandardCharsets.UTF_8);
        DhtService.RecordPut put = service.put(key, data);
        ctx.json(new PutAnswer(key.text(), put.seq(), put.storedOn()));
    }

    RoutingTableAnswer routingTable() {
        KadDht dht = service.dht();
        Map<Integer, List<DhtPeer>> byBucket = new TreeMap<>();
        for (RoutingTable.EntryInfo entry : dht.routingTable().entries()) {
            byBucket.computeIfAbsent(entry.bucket(), b -> new ArrayList<>()).add(Answers.dhtPeer(entry.peer()));
        }
        List<Bucket> buckets = new ArrayList<>();
        byBucket.forEach((index, peers) -> buckets.add(new Bucket(index, peers)));
        return new RoutingTableAnswer(dht.mode().name().toLowerCase(Locale.ROOT), dht.routingTable().size(), buckets);
    }
}
