package org.parley.dht.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.sim.SimNetwork;

/** A few real DHT nodes on an in-memory network with one manual clock, joined one by one. */
public final class SimNodes {

    public final SimNetwork network = new SimNetwork(SimNetwork.Options.instant());
    public final ManualClock clock = new ManualClock();
    public final List<KadDht> nodes = new ArrayList<>();
    public final List<PeerRef> refs = new ArrayList<>();
    private final TestPeers peers;

    private SimNodes(long seed) {
        this.peers = new TestPeers(seed);
    }

    /** Loopback-friendly test settings: no IP diversity, a generous rate limit, server mode. */
    public static DhtConfig testConfig() {
        return DhtConfig.defaults().withIpDiversity(IpDiversityFilter.disabled()).withRateLimit(10_000, 10_000)
                .withMode(DhtConfig.ModePolicy.SERVER);
    }

    public static SimNodes create(int count, long seed, DhtConfig config) {
        SimNodes s = new SimNodes(seed);
        for (int i = 0; i < count; i++) {
            s.add(config, null);
        }
        s.joinAll();
        return s;
    }

    /** Adds one started node (not yet joined). */
    public KadDht add(DhtConfig config, Path dataDir) {
        PeerRef ref = peers.peer();
        SimNetwork.Endpoint endpoint = network.attach(ref);
        KadDht dht = KadDht.builder(ref.id(), endpoint).config(config).clock(clock).dataDir(dataDir).build();
        endpoint.onPeerIdentified(dht::peerIdentified);
        try {
            dht.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nodes.add(dht);
        refs.add(ref);
        return dht;
    }

    /** Each node after the first joins through a random earlier one; then everybody refreshes. */
    public void joinAll() {
        Random random = new Random(nodes.size());
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).bootstrap(List.of(refs.get(random.nextInt(i))));
        }
        nodes.forEach(KadDht::refresh);
    }

    public SimNetwork.Endpoint endpoint(int index) {
        return network.endpoint(refs.get(index).id());
    }
}
