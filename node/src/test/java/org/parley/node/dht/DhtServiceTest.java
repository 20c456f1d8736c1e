package org.parley.node.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.SimNetwork;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.service.ServiceException;

/** The DHT service without HTTP, as chat and files will use it, on the in-memory network. */
class DhtServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<KadDht> dhts = new ArrayList<>();
    private final List<Ed25519PrivateKey> keys = new ArrayList<>();

    @AfterEach
    void stop() {
        dhts.forEach(KadDht::close);
    }

    @Test
    void numbersRecordsFromTheInjectedClockAndKeepsThemIncreasingWithinOneMillisecond() throws Exception {
        network(3);
        DhtService service = new DhtService(dhts.getFirst(), keys.getFirst(), InstantSource.fixed(NOW));
        DhtKeys.RecordKey key = service.recordKey("/parley/self/status");

        DhtService.RecordPut first = service.put(key, "a".getBytes(StandardCharsets.UTF_8));
        DhtService.RecordPut second = service.put(key, "b".getBytes(StandardCharsets.UTF_8));

        assertThat(first.seq()).isEqualTo(NOW.toEpochMilli());
        assertThat(second.seq()).isEqualTo(NOW.toEpochMilli() + 1);
        DhtService reader = new DhtService(dhts.get(1), keys.get(1), InstantSource.fixed(NOW));
        DhtService.RecordRead read = reader.get(reader.recordKey("/parley/" + dhts.getFirst().self() + "/status"));
        assertThat(new String(read.value(), StandardCharsets.UTF_8)).isEqualTo("b");
        assertThat(read.seq()).hasValue(second.seq());
    }

    @Test
    void aDhtWithoutPeersSaysHowToGetSome() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        PeerId self = PeerId.fromPublicKey(key.publicKey());
        KadDht lonely = KadDht.builder(self, new SimNetwork(SimNetwork.Options.instant())
                .attach(new PeerRef(self, List.of()))).build();
        dhts.add(lonely);
        DhtService service = new DhtService(lonely, key, InstantSource.fixed(NOW));

        assertThatThrownBy(() -> service.findPeer(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey())))
                .isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("the node knows no DHT servers yet, so it cannot ask the DHT: start it with"
                        + " --bootstrap")
                .extracting(e -> ((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.UNAVAILABLE);
    }

    private void network(int size) throws Exception {
        SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
        DhtConfig config = DhtConfig.defaults().withMode(DhtConfig.ModePolicy.SERVER)
                .withIpDiversity(IpDiversityFilter.disabled());
        List<PeerRef> refs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            PeerRef ref = new PeerRef(PeerId.fromPublicKey(key.publicKey()),
                    List.of(Multiaddr.parse("/ip4/10.0.0." + (i + 1) + "/tcp/4001")));
            SimNetwork.Endpoint endpoint = network.attach(ref);
            KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).build();
            endpoint.onPeerIdentified(dht::peerIdentified);
            dht.start();
            keys.add(key);
            dhts.add(dht);
            refs.add(ref);
        }
        for (int i = 0; i < size; i++) {
            dhts.get(i).bootstrap(List.of(refs.get((i + 1) % size)));
        }
    }
}
