package org.parley.dht.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.parley.dht.DhtConfig;
import org.parley.dht.routing.IpDiversityFilter;

/**
 * The DHT benchmark ({@code scripts/bench dht}): builds simulated networks and prints one table of
 * lookup success, rounds and messages per lookup for each scenario of the DHT issue, with and
 * without S/Kademlia disjoint paths side by side under attack.
 *
 * <pre>
 *   SimulationBench [--nodes N] [--lookups L] [--provider-keys P] [--concurrency C] [--seed S]
 *                   [--paths D] [--sybils Y] [--latency-ms MS] [--loss RATE]
 * </pre>
 */
public final class SimulationBench {

    /**
     * With simulated latency, a request times out after this many round trips rather than the
     * real 5 s, so that lost requests cost simulated time in proportion to the network's speed.
     */
    static final int SIMULATED_TIMEOUT_RTTS = 10;

    private SimulationBench() {}

    /** Parsed command line. */
    record Args(int nodes, int lookups, int providerKeys, int concurrency, long seed, int paths, int sybils,
            Duration latency, double loss) {

        static Args parse(String[] argv) {
            int nodes = 10_000;
            int lookups = 1_000;
            int providerKeys = 300;
            int concurrency = 64;
            long seed = 1;
            int paths = 5;
            int sybils = 40;
            Duration latency = Duration.ZERO;
            double loss = 0;
            for (int i = 0; i < argv.length; i++) {
                String value = i + 1 < argv.length ? argv[i + 1] : null;
                switch (argv[i]) {
                    case "--nodes" -> nodes = Integer.parseInt(value);
                    case "--lookups" -> lookups = Integer.parseInt(value);
                    case "--provider-keys" -> providerKeys = Integer.parseInt(value);
                    case "--concurrency" -> concurrency = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--paths" -> paths = Integer.parseInt(value);
                    case "--sybils" -> sybils = Integer.parseInt(value);
                    case "--latency-ms" -> latency = Duration.ofMillis(Long.parseLong(value));
                    case "--loss" -> loss = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
                i++;
            }
            return new Args(nodes, lookups, providerKeys, concurrency, seed, paths, sybils, latency, loss);
        }
    }

    /** Everything one run measured. */
    record Results(List<LookupReport> reports, List<String> notes) {}

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        long start = System.nanoTime();
        Results results = run(args, System.out::println);
        System.out.println();
        System.out.println(LookupReport.header());
        results.reports().forEach(r -> System.out.println(r.row()));
        System.out.println();
        results.notes().forEach(System.out::println);
        Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        System.out.printf(Locale.ROOT, "total %.1f s wall, %.1f s CPU on %d cores%n", (System.nanoTime() - start) / 1e9,
                cpu.toMillis() / 1000.0, Runtime.getRuntime().availableProcessors());
    }

    /** Runs every scenario, reporting progress lines to {@code progress}. */
    static Results run(Args args, Consumer<String> progress) {
        DhtConfig config = DhtConfig.defaults()
                .withIpDiversity(IpDiversityFilter.disabled())
                .withRateLimit(1_000_000, 1_000_000);
        if (!args.latency().isZero()) {
            Duration request = args.latency().multipliedBy(SIMULATED_TIMEOUT_RTTS);
            config = config.withTimeouts(request, request.multipliedBy(SIMULATED_TIMEOUT_RTTS));
        }
        SimNetwork.Options net = new SimNetwork.Options(args.latency(), args.latency().dividedBy(2), args.loss(), false);
        List<LookupReport> reports = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        long t0 = System.nanoTime();
        DhtSimulation sim = DhtSimulation.create(
                new DhtSimulation.Settings(args.nodes(), args.seed(), net, config, DhtSimulation.Bootstrap.ORACLE));
        DhtSimulation.TableFill fill = sim.tableFill();
        notes.add(String.format(Locale.ROOT,
                "%d nodes, k=%d, alpha=%d; tables built in %.1f s: %.1f entries per node (min %d, max %d), "
                        + "%.1f full buckets per node (log2(N/k) = %d)",
                args.nodes(), config.k(), config.alpha(), (System.nanoTime() - t0) / 1e9, fill.meanSize(),
                fill.minSize(), fill.maxSize(), fill.meanFullBuckets(), fill.expectedFullBuckets()));
        progress.accept(notes.getLast());

        reports.add(report(progress, sim.findPeers("stable: findPeer", args.lookups(), args.concurrency(), 1)));
        List<DhtSimulation.ProvidedKey> keys = sim.provideRandomKeys(args.providerKeys(), args.concurrency(), 1);
        reports.add(report(progress, sim.findProviders("stable: findProviders", keys, args.concurrency(), 1)));

        int gone = sim.vanish(0.20);
        keys = keys.stream().filter(k -> !k.provider().endpoint().isDown()).toList();
        notes.add(gone + " nodes vanished without notice for the churn rows");
        reports.add(report(progress, sim.findPeers("20% vanished: findPeer", args.lookups(), args.concurrency(), 1)));
        reports.add(report(progress, sim.findProviders("20% vanished: findProviders", keys, args.concurrency(), 1)));

        sim.reviveAll();
        int turned = sim.makeAdversarial(0.10, args.sybils());
        notes.add(turned + " nodes turned adversarial with " + args.sybils()
                + " Sybil ids each (" + turned * args.sybils()
                + " in all) after the vanished nodes came back; they answer every lookup with the Sybils closest to"
                + " the key");
        reports.add(report(progress, sim.findPeers("10% adversarial: findPeer, 1 path", args.lookups(),
                args.concurrency(), 1)));
        reports.add(report(progress, sim.findPeers("10% adversarial: findPeer, " + args.paths() + " paths",
                args.lookups(), args.concurrency(), args.paths())));
        List<DhtSimulation.ProvidedKey> plainKeys = sim.provideRandomKeys(args.providerKeys(), args.concurrency(), 1);
        reports.add(report(progress, sim.findProviders("10% adversarial: providers, 1 path", plainKeys,
                args.concurrency(), 1)));
        List<DhtSimulation.ProvidedKey> disjointKeys =
                sim.provideRandomKeys(args.providerKeys(), args.concurrency(), args.paths());
        reports.add(report(progress, sim.findProviders("10% adversarial: providers, " + args.paths() + " paths",
                disjointKeys, args.concurrency(), args.paths())));
        return new Results(reports, notes);
    }

    private static LookupReport report(Consumer<String> progress, LookupReport r) {
        progress.accept(r.row());
        return r;
    }
}
