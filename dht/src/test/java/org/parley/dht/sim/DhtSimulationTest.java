package org.parley.dht.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.DhtConfig;
import org.parley.dht.routing.IpDiversityFilter;

/**
 * The DHT issue's scenarios on 500 nodes (the stable and churn ones on nodes that joined one by one
 * through the real bootstrap code); the 10,000-node version is {@link SimulationBench}.
 */
class DhtSimulationTest {

    private static final int NODES = 500;
    private static final int LOOKUPS = 300;
    private static final int KEYS = 60;
    private static final int CONCURRENCY = 32;
    private static final DhtConfig CONFIG = DhtConfig.defaults()
            .withIpDiversity(IpDiversityFilter.disabled())
            .withRateLimit(1_000_000, 1_000_000);

    @Test
    void aStableNetworkFindsEveryPeerAndProviderThenSurvivesLosingAFifth() {
        DhtSimulation sim = DhtSimulation.create(new DhtSimulation.Settings(NODES, 42, SimNetwork.Options.instant(),
                CONFIG, DhtSimulation.Bootstrap.JOIN));
        DhtSimulation.TableFill fill = sim.tableFill();
        assertThat(fill.meanFullBuckets()).isGreaterThanOrEqualTo(fill.expectedFullBuckets());

        LookupReport stable = sim.findPeers("stable", LOOKUPS, CONCURRENCY, 1);
        assertThat(stable.successRate()).isEqualTo(1.0);
        assertThat(stable.rounds().median()).isLessThanOrEqualTo(4);

        List<DhtSimulation.ProvidedKey> keys = sim.provideRandomKeys(KEYS, CONCURRENCY, 1);
        assertThat(sim.findProviders("stable providers", keys, CONCURRENCY, 1).successRate()).isEqualTo(1.0);

        sim.vanish(0.20);
        List<DhtSimulation.ProvidedKey> liveKeys =
                keys.stream().filter(k -> !k.provider().endpoint().isDown()).toList();
        assertThat(sim.findPeers("churn", LOOKUPS, CONCURRENCY, 1).successRate()).isGreaterThanOrEqualTo(0.99);
        assertThat(sim.findProviders("churn providers", liveKeys, CONCURRENCY, 1).successRate())
                .isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void disjointPathsKeepLookupsWorkingAmongAdversaries() {
        DhtSimulation sim = DhtSimulation.create(new DhtSimulation.Settings(NODES, 43, SimNetwork.Options.instant(),
                CONFIG, DhtSimulation.Bootstrap.ORACLE));
        assertThat(sim.makeAdversarial(0.10, 40)).isEqualTo(50);
        LookupReport plain = sim.findPeers("adversarial, 1 path", LOOKUPS, CONCURRENCY, 1);
        LookupReport disjoint = sim.findPeers("adversarial, 5 paths", LOOKUPS, CONCURRENCY, 5);
        assertThat(disjoint.successRate()).isGreaterThanOrEqualTo(0.95).isGreaterThanOrEqualTo(plain.successRate());

        List<DhtSimulation.ProvidedKey> keys = sim.provideRandomKeys(KEYS, CONCURRENCY, 5);
        assertThat(sim.findProviders("adversarial providers, 5 paths", keys, CONCURRENCY, 5).successRate())
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void theCodecCarriesEveryMessageOfASmallNetworkWithLatencyAndLoss() {
        SimNetwork.Options lossy = new SimNetwork.Options(Duration.ofMillis(2), Duration.ofMillis(2),
                0.02, true);
        // Timeouts far above the latency: on a loaded machine a virtual thread may wait long for a core.
        DhtConfig config = CONFIG.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
        DhtSimulation sim = DhtSimulation.create(new DhtSimulation.Settings(300, 44, lossy, config,
                DhtSimulation.Bootstrap.ORACLE));
        assertThat(sim.findPeers("lossy", 100, CONCURRENCY, 1).successRate()).isGreaterThanOrEqualTo(0.99);
        assertThat(sim.network().messages()).isPositive();
    }
}
