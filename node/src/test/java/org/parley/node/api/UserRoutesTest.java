package org.parley.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.SimNetwork;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.dht.DhtService;
import org.parley.node.identity.UserDirectory;
import org.parley.node.identity.UserRendezvous;

/**
 * {@code POST /api/find-user} over five DHT nodes on the in-memory network, with a clock the test
 * moves: the cases a loopback network does not produce on its own.
 */
class UserRoutesTest {

    private static final int NODES = 5;
    /** Past the 24 h for which servers hand out a provider's addresses, within its 48 h expiry. */
    private static final Duration PAST_PROVIDER_ADDRESS_TTL = Duration.ofHours(25);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Ed25519PrivateKey> keys = new ArrayList<>();
    private final List<KadDht> dhts = new ArrayList<>();
    private ApiServer server;

    @BeforeEach
    void startNetwork() throws Exception {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        DhtConfig config = DhtConfig.defaults().withMode(DhtConfig.ModePolicy.SERVER)
                .withIpDiversity(IpDiversityFilter.disabled());
        InstantSource clock = now::get;
        List<PeerRef> refs = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            PeerRef ref = new PeerRef(PeerId.fromPublicKey(key.publicKey()),
                    List.of(Multiaddr.parse("/ip4/10.0.0." + (i + 1) + "/tcp/4001")));
            SimNetwork.Endpoint endpoint = network.attach(ref);
            KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).clock(clock).build();
            endpoint.onPeerIdentified(dht::peerIdentified);
            dht.start();
            keys.add(key);
            dhts.add(dht);
            refs.add(ref);
        }
        for (int i = 0; i < NODES; i++) {
            dhts.get(i).bootstrap(List.of(refs.get((i + 1) % NODES)));
        }
        server = ApiServer.start(0, "token", List.of(new UserRoutes(new UserDirectory(new DhtService(dhts.getFirst(), keys.getFirst(), clock)))));
    }

    @AfterEach
    void stop() {
        server.close();
        dhts.forEach(KadDht::close);
    }

    @Test
    void looksUpTheAddressesOfADeviceWhoseProviderRecordCameWithoutThem() throws Exception {
        PeerId device = dhts.get(2).self();
        assertThat(dhts.get(2).provide(UserRendezvous.key(keys.get(2).publicKey()))).isPositive();
        now.updateAndGet(t -> t.plus(PAST_PROVIDER_ADDRESS_TTL));
        assertThat(dhts.getFirst().findProviders(UserRendezvous.key(keys.get(2).publicKey()), 20, p -> { })
                .providers()).as("providers as the DHT hands them out").isNotEmpty()
                .allMatch(p -> p.addrs().isEmpty());

        RawHttp.Response response = findUser(device.toBase58());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode answer = ApiJson.MAPPER.readTree(response.body());
        assertThat(answer.get("rendezvousKey").asText())
                .isEqualTo(Base58.encode(UserRendezvous.key(keys.get(2).publicKey())));
        assertThat(answer.get("devices")).hasSize(1);
        assertThat(answer.get("devices").get(0).get("peerId").asText()).isEqualTo(device.toBase58());
        assertThat(answer.get("devices").get(0).get("addresses")).extracting(JsonNode::asText)
                .containsExactly("/ip4/10.0.0.3/tcp/4001/p2p/" + device);
    }

    @Test
    void aMissingPeerFieldIsABadRequest() throws Exception {
        RawHttp.Response response = RawHttp.send(server.port(), "POST", "/api/find-user", headers(), "{}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(ApiJson.MAPPER.readTree(response.body()).get("error").asText()).isEqualTo(ApiException.BAD_REQUEST);
    }

    private RawHttp.Response findUser(String peer) throws Exception {
        return RawHttp.send(server.port(), "POST", "/api/find-user", headers(),
                ApiJson.MAPPER.writeValueAsString(Map.of("peer", peer)));
    }

    private Map<String, String> headers() {
        return Map.of("Host", "127.0.0.1:" + server.port(), "Authorization", "Bearer token",
                "Content-Type", "application/json");
    }
}
