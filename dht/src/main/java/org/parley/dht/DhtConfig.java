package org.parley.dht;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.parley.dht.query.QueryParams;
import org.parley.dht.routing.AddressScope;
import org.parley.dht.routing.IpDiversityFilter;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * Every tunable of a DHT node, with Amino's values as defaults ({@link #defaults()}). Immutable;
 * change a field with the {@code with...} methods.
 *
 * @param k bucket size and the number of closest peers a lookup converges on
 * @param alpha lookup requests in flight at once
 * @param disjointPaths S/Kademlia disjoint lookup paths; 1 is plain Kademlia
 * @param quorum valid copies a value read collects before stopping early
 * @param replacementCacheSize peers each full bucket keeps waiting for a free slot
 * @param requestTimeout how long one kad request may take
 * @param queryTimeout how long one whole lookup may take
 * @param evictAfterFailures consecutive failed requests after which a peer leaves the table
 * @param livenessCheckAge a full bucket's oldest entry, if not heard from for this long, is
 *     checked when newcomers wait for its slot
 * @param refreshInterval how often buckets are refreshed by lookups
 * @param providerExpiry how long a server keeps a provider record
 * @param republishInterval how often we re-announce what we provide
 * @param providerAddrTtl how long a server hands out a provider's addresses
 * @param recordExpiry how long a server keeps a value record
 * @param maxProvidersPerKey providers a server keeps for one key
 * @param maxProviderEntries provider entries a server keeps in total
 * @param maxRecords value records a server keeps in total
 * @param rateLimitBurst requests one peer may make at once
 * @param rateLimitPerSecond requests one peer may make per second, sustained
 * @param ipDiversity IP group limits on routing-table admission
 * @param addressScope which peer addresses the node stores, follows and hands out: all of them on
 *     Parley's private networks, only public non-relay ones on the public DHT (as Amino does)
 * @param mode whether this node serves the DHT
 * @param bootstrap peers to join through ({@code /p2p/}-terminated multiaddrs)
 */
public record DhtConfig(
        int k,
        int alpha,
        int disjointPaths,
        int quorum,
        int replacementCacheSize,
        Duration requestTimeout,
        Duration queryTimeout,
        int evictAfterFailures,
        Duration livenessCheckAge,
        Duration refreshInterval,
        Duration providerExpiry,
        Duration republishInterval,
        Duration providerAddrTtl,
        Duration recordExpiry,
        int maxProvidersPerKey,
        int maxProviderEntries,
        int maxRecords,
        int rateLimitBurst,
        double rateLimitPerSecond,
        IpDiversityFilter ipDiversity,
        AddressScope addressScope,
        ModePolicy mode,
        List<Multiaddr> bootstrap) {

    /**
     * Whether the node answers DHT queries; also the setting users give ({@code auto}, {@code server},
     * {@code client}).
     */
    public enum ModePolicy {
        /** Server while the node is known to be reachable from outside, client otherwise. */
        AUTO,
        /** Always a server; for nodes with a public address. */
        SERVER,
        /** Never a server; for nodes behind NAT or on battery. */
        CLIENT;

        /** The lower-case name used in settings files and on command lines. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Reads {@code auto}, {@code server} or {@code client} (any case).
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static ModePolicy parse(String text) {
            for (ModePolicy mode : values()) {
                if (mode.configName().equalsIgnoreCase(text.strip())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown DHT mode '" + text + "'; expected one of auto, server, client");
        }
    }

    /** Amino (libp2p spec, ipfs spec, go): 20 peers per bucket and per answer. */
    public static final int DEFAULT_K = 20;
    /** Amino: 10 requests in flight (the paper and rust use 3; 10 converges in fewer round trips). */
    public static final int DEFAULT_ALPHA = 10;
    /** Plain Kademlia, as Amino peers run it; the simulation shows what more paths buy. */
    public static final int DEFAULT_DISJOINT_PATHS = 1;
    /** Amino's quorum for IPNS reads: 16 of the 20 closest. */
    public static final int DEFAULT_QUORUM = 16;
    /** One bucket's worth of waiting peers: enough to refill a bucket after a wave of departures. */
    public static final int DEFAULT_REPLACEMENT_CACHE_SIZE = DEFAULT_K;
    /** A healthy peer answers in well under a second; 5 s tolerates a slow dial and a busy peer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A lookup takes a few round trips; 30 s ends one stuck behind dead peers. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * One lost packet must not evict a long-lived peer (old peers are the most reliable); two
     * failures in a row mean it is very likely gone.
     */
    public static final int DEFAULT_EVICT_AFTER_FAILURES = 2;
    /** Amino's refresh period: an entry unheard of for that long may have left. */
    public static final Duration DEFAULT_LIVENESS_CHECK_AGE = Duration.ofMinutes(10);
    /** Amino: refresh the routing table every 10 minutes. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);
    /** Amino: provider records are valid for 48 hours. */
    public static final Duration DEFAULT_PROVIDER_EXPIRY = Duration.ofHours(48);
    /** Amino: providers re-announce every 22 hours, well inside the 48-hour validity. */
    public static final Duration DEFAULT_REPUBLISH_INTERVAL = Duration.ofHours(22);
    /** Amino: provider addresses are handed out for 24 hours; after that askers look them up. */
    public static final Duration DEFAULT_PROVIDER_ADDR_TTL = Duration.ofHours(24);
    /** Amino: value records live for 48 hours on a server. */
    public static final Duration DEFAULT_RECORD_EXPIRY = Duration.ofHours(48);
    /** A GET_PROVIDERS answer with 100 providers is ~10 KiB; nobody needs more than that many. */
    public static final int DEFAULT_MAX_PROVIDERS_PER_KEY = 100;
    /** ~200 bytes each, so 100,000 entries bound the provider store near 20 MiB. */
    public static final int DEFAULT_MAX_PROVIDER_ENTRIES = 100_000;
    /** Values are at most 10 KiB, so 10,000 records bound the record store near 100 MiB. */
    public static final int DEFAULT_MAX_RECORDS = 10_000;
    /**
     * A peer running several lookups at once plus its refresh sends a few tens of requests in a
     * burst; 100 leaves room for that.
     */
    public static final int DEFAULT_RATE_LIMIT_BURST = 100;
    /** Sustained, one peer has no reason to ask us more than a few requests a second; 20 is generous. */
    public static final double DEFAULT_RATE_LIMIT_PER_SECOND = 20;

    /**
     * The public libp2p (Amino) bootstrap peers, as shipped by kubo and helia. Documented here and
     * off by default: Parley joins the public DHT only when configured to.
     */
    public static final List<String> PUBLIC_BOOTSTRAP = List.of(
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt",
            "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ");

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
        Objects.requireNonNull(ipDiversity, "ipDiversity");
        Objects.requireNonNull(addressScope, "addressScope");
        Objects.requireNonNull(mode, "mode");
        if (replacementCacheSize < 0 || maxProvidersPerKey < 1 || maxProviderEntries < 1 || maxRecords < 1) {
            throw new IllegalArgumentException("store and cache sizes must be positive");
        }
        for (Multiaddr addr : bootstrap) {
            if (addr.peerId() == null) {
                throw new IllegalArgumentException("bootstrap address " + addr + " must end in /p2p/<peer id>");
            }
        }
        queryParams(k, alpha, disjointPaths, quorum, requestTimeout, queryTimeout, evictAfterFailures);
    }

    /**
     * Amino's values, AUTO mode, Amino IP diversity limits, every address kept (Parley's private
     * networks and loopback tests need them), no bootstrap peers.
     */
    public static DhtConfig defaults() {
        return new DhtConfig(DEFAULT_K, DEFAULT_ALPHA, DEFAULT_DISJOINT_PATHS, DEFAULT_QUORUM,
                DEFAULT_REPLACEMENT_CACHE_SIZE, DEFAULT_REQUEST_TIMEOUT, DEFAULT_QUERY_TIMEOUT,
                DEFAULT_EVICT_AFTER_FAILURES, DEFAULT_LIVENESS_CHECK_AGE, DEFAULT_REFRESH_INTERVAL,
                DEFAULT_PROVIDER_EXPIRY, DEFAULT_REPUBLISH_INTERVAL, DEFAULT_PROVIDER_ADDR_TTL, DEFAULT_RECORD_EXPIRY,
                DEFAULT_MAX_PROVIDERS_PER_KEY, DEFAULT_MAX_PROVIDER_ENTRIES, DEFAULT_MAX_RECORDS,
                DEFAULT_RATE_LIMIT_BURST, DEFAULT_RATE_LIMIT_PER_SECOND, IpDiversityFilter.amino(), AddressScope.ALL,
                ModePolicy.AUTO, List.of());
    }

    /**
     * The settings for joining the public libp2p DHT (Amino): {@link #defaults()} with only public,
     * non-relay addresses, as Amino peers keep them. Bootstrap peers still have to be given, e.g.
     * from {@link #PUBLIC_BOOTSTRAP}.
     */
    public static DhtConfig publicDht() {
        return defaults().withAddressScope(AddressScope.PUBLIC);
    }

    /** The lookup tuning these settings give. */
    public QueryParams queryParams() {
        return queryParams(k, alpha, disjointPaths, quorum, requestTimeout, queryTimeout, evictAfterFailures);
    }

    public DhtConfig withK(int value) {
        return with(f -> f.k = value);
    }

    public DhtConfig withAlpha(int value) {
        return with(f -> f.alpha = value);
    }

    public DhtConfig withDisjointPaths(int value) {
        return with(f -> f.disjointPaths = value);
    }

    public DhtConfig withQuorum(int value) {
        return with(f -> f.quorum = value);
    }

    public DhtConfig withReplacementCacheSize(int value) {
        return with(f -> f.replacementCacheSize = value);
    }

    public DhtConfig withTimeouts(Duration request, Duration query) {
        return with(f -> {
            f.requestTimeout = request;
            f.queryTimeout = query;
        });
    }

    public DhtConfig withLivenessCheckAge(Duration value) {
        return with(f -> f.livenessCheckAge = value);
    }

    public DhtConfig withRateLimit(int burst, double perSecond) {
        return with(f -> {
            f.rateLimitBurst = burst;
            f.rateLimitPerSecond = perSecond;
        });
    }

    public DhtConfig withIpDiversity(IpDiversityFilter value) {
        return with(f -> f.ipDiversity = value);
    }

    public DhtConfig withAddressScope(AddressScope value) {
        return with(f -> f.addressScope = value);
    }

    public DhtConfig withMode(ModePolicy value) {
        return with(f -> f.mode = value);
    }

    public DhtConfig withBootstrap(List<Multiaddr> value) {
        return with(f -> f.bootstrap = value);
    }

    /** A copy with the fields {@code change} sets; the copy is validated like any config. */
    private DhtConfig with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.toConfig();
    }

    /** The fields of a config being copied with changes. */
    private static final class Fields {
        int k;
        int alpha;
        int disjointPaths;
        int quorum;
        int replacementCacheSize;
        Duration requestTimeout;
        Duration queryTimeout;
        int evictAfterFailures;
        Duration livenessCheckAge;
        Duration refreshInterval;
        Duration providerExpiry;
        Duration republishInterval;
        Duration providerAddrTtl;
        Duration recordExpiry;
        int maxProvidersPerKey;
        int maxProviderEntries;
        int maxRecords;
        int rateLimitBurst;
        double rateLimitPerSecond;
        IpDiversityFilter ipDiversity;
        AddressScope addressScope;
        ModePolicy mode;
        List<Multiaddr> bootstrap;

        Fields(DhtConfig c) {
            k = c.k;
            alpha = c.alpha;
            disjointPaths = c.disjointPaths;
            quorum = c.quorum;
            replacementCacheSize = c.replacementCacheSize;
            requestTimeout = c.requestTimeout;
            queryTimeout = c.queryTimeout;
            evictAfterFailures = c.evictAfterFailures;
            livenessCheckAge = c.livenessCheckAge;
            refreshInterval = c.refreshInterval;
            providerExpiry = c.providerExpiry;
            republishInterval = c.republishInterval;
            providerAddrTtl = c.providerAddrTtl;
            recordExpiry = c.recordExpiry;
            maxProvidersPerKey = c.maxProvidersPerKey;
            maxProviderEntries = c.maxProviderEntries;
            maxRecords = c.maxRecords;
            rateLimitBurst = c.rateLimitBurst;
            rateLimitPerSecond = c.rateLimitPerSecond;
            ipDiversity = c.ipDiversity;
            addressScope = c.addressScope;
            mode = c.mode;
            bootstrap = c.bootstrap;
        }

        DhtConfig toConfig() {
            return new DhtConfig(k, alpha, disjointPaths, quorum, replacementCacheSize, requestTimeout, queryTimeout,
                    evictAfterFailures, livenessCheckAge, refreshInterval, providerExpiry, republishInterval,
                    providerAddrTtl, recordExpiry, maxProvidersPerKey, maxProviderEntries, maxRecords, rateLimitBurst,
                    rateLimitPerSecond, ipDiversity, addressScope, mode, bootstrap);
        }
    }

    private static QueryParams queryParams(int k, int alpha, int paths, int quorum, Duration request, Duration query,
            int evictAfter) {
        return new QueryParams(k, alpha, paths, quorum, request, query, evictAfter);
    }
}
