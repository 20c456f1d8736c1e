package org.parley.dht;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.dht.net.KadNetwork;
import org.parley.dht.provider.ProviderStore;
import org.parley.dht.query.ClosestPeersResult;
import org.parley.dht.query.FindPeerResult;
import org.parley.dht.query.GetValueResult;
import org.parley.dht.query.ProvidersResult;
import org.parley.dht.query.QueryEngine;
import org.parley.dht.query.QueryParams;
import org.parley.dht.query.QueryStats;
import org.parley.dht.record.InvalidRecordException;
import org.parley.dht.record.NamespacedValidator;
import org.parley.dht.record.RecordStore;
import org.parley.dht.record.RecordValidator;
import org.parley.dht.routing.KadId;
import org.parley.dht.routing.PeerRef;
import org.parley.dht.routing.RoutingTable;
import org.parley.dht.routing.RoutingTableFile;
import org.parley.dht.rpc.KadMessage;
import org.parley.dht.rpc.KadProtocol;
import org.parley.dht.rpc.KadRecord;
import org.parley.dht.rpc.KadRequestHandler;
import org.parley.dht.rpc.PeerAddressBook;
import org.parley.dht.rpc.PeerRateLimiter;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.parley.libp2p.util.StateFiles;
import org.parley.libp2p.util.UnreadableStateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node on {@code /ipfs/kad/1.0.0}: finds peers, providers and values for the rest
 * of Parley, and serves other nodes while in server mode. Thread safe: every public method may be
 * called from any thread, and queries block the caller (run them on virtual threads).
 *
 * <p>The node reaches the network only through its {@link KadNetwork}, so the same code runs over
 * the libp2p host and in the in-memory simulation. Time comes from an {@link InstantSource}, so
 * expiry and refresh can be tested with a manual clock; {@link #maintain()} runs whatever periodic
 * work is due and {@link #startMaintenance()} calls it on a timer.
 */
public final class KadDht implements AutoCloseable {

    /**
     * How often {@link #startMaintenance()} checks for due work; the shortest period it serves is
     * the 10-minute refresh, so a minute's lateness does not matter.
     */
    public static final Duration MAINTENANCE_TICK = Duration.ofMinutes(1);
    /**
     * Rate-limit buckets kept for this many peers at most (beyond it, idle ones are forgotten):
     * far more peers than a node talks to within a refill period.
     */
    private static final int RATE_LIMIT_TRACKED_PEERS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

    private final PeerId self;
    private final KadNetwork network;
    private final DhtConfig config;
    private final InstantSource clock;
    private final RecordValidator validator;
    private final Path dataDir;
    private final RoutingTable table;
    private final ProviderStore providers;
    private final RecordStore records;
    private final KadRequestHandler handler;
    private final QueryEngine queries;
    private final TableMaintenance tableMaintenance;
    private final List<DhtModeListener> modeListeners = new CopyOnWriteArrayList<>();
    private final Map<ByteBuffer, Instant> providing = new HashMap<>();
    private final Object modeLock = new Object();
    private DhtMode mode = DhtMode.CLIENT;
    private boolean reachable;
    private boolean started;
    /** Serialises {@link #start()}, which does file I/O outside {@link #modeLock}. */
    private final Object startLock = new Object();
    /**
     * Set once the saved table was read (or set aside): until then the file on disk may hold peers
     * we do not, so saving would destroy them.
     */
    private volatile boolean tableLoaded;
    private ScheduledExecutorService maintenance;

    private KadDht(Builder b) {
        this.self = b.self;
        this.network = b.network;
        this.config = b.config;
        this.clock = b.clock;
        this.validator = b.validator;
        this.dataDir = b.dataDir;
        this.table = new RoutingTable(KadId.of(self), config.k(), config.replacementCacheSize(), config.ipDiversity(),
                config.addressScope());
        this.providers = new ProviderStore(config.providerExpiry(), config.providerAddrTtl(),
                config.maxProvidersPerKey(), config.maxProviderEntries());
        this.records = new RecordStore(config.recordExpiry(), config.maxRecords());
        PeerRateLimiter limiter = new PeerRateLimiter(config.rateLimitBurst(), config.rateLimitPerSecond(),
                RATE_LIMIT_TRACKED_PEERS, clock);
        PeerAddressBook addressBook = peer -> peer.equals(self) ? network.localAddrs() : network.knownAddresses(peer);
        this.handler = new KadRequestHandler(self, table, providers, records, validator, limiter, addressBook, clock);
        this.queries = new QueryEngine(self, network, table, validator, config.queryParams(), clock);
        this.tableMaintenance = new TableMaintenance(self, network, table, queries, config, clock, b.background);
        table.setListener(tableMaintenance);
    }

    public static Builder builder(PeerId self, KadNetwork network) {
        return new Builder(self, network);
    }

    /** Collects what a node needs; only the id and the network are required. Not thread safe. */
    public static final class Builder {
        private final PeerId self;
        private final KadNetwork network;
        private DhtConfig config = DhtConfig.defaults();
        private InstantSource clock = InstantSource.system();
        private RecordValidator validator = NamespacedValidator.standard();
        private Path dataDir;
        private Executor background = task -> Thread.ofVirtual().name("kad-background").start(task);

        private Builder(PeerId self, KadNetwork network) {
            this.self = Objects.requireNonNull(self, "self");
            this.network = Objects.requireNonNull(network, "network");
        }

        public Builder config(DhtConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        public Builder clock(InstantSource value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder validator(RecordValidator value) {
            this.validator = Objects.requireNonNull(value);
            return this;
        }

        /** Where the routing table is saved across restarts; none by default. */
        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        /**
         * Where background work runs: liveness checks of routing-table entries, and joining again
         * when the table runs empty. A new virtual thread per task by default; tests pass an
         * executor they drive themselves.
         */
        public Builder backgroundExecutor(Executor value) {
            this.background = Objects.requireNonNull(value);
            return this;
        }

        public KadDht build() {
            return new KadDht(this);
        }
    }

    public PeerId self() {
        return self;
    }

    public DhtConfig config() {
        return config;
    }

    /** The routing table, for status display and tests; thread safe. */
    public RoutingTable routingTable() {
        return table;
    }

    /**
     * Loads the saved routing table, if any, and takes up the mode the policy gives (serving
     * inbound requests if that is server). A table file this version cannot read (empty, garbage,
     * a newer format) is moved aside with one WARN and the node starts with an empty table. If
     * start fails, nothing is written later: {@link #close()} saves the table only after a load
     * succeeded, so a file that could not be read is never replaced. Idempotent once it succeeded.
     *
     * @throws IOException if the table file cannot be read or set aside
     */
    public void start() throws IOException {
        synchronized (startLock) {
            synchronized (modeLock) {
                if (started) {
                    return;
                }
            }
            if (dataDir != null) {
                loadRoutingTable();
                tableLoaded = true;
            }
            synchronized (modeLock) {
                started = true;
            }
        }
        applyMode();
    }

    private void loadRoutingTable() throws IOException {
        List<PeerRef> saved;
        try {
            saved = RoutingTableFile.load(dataDir.resolve(RoutingTableFile.FILE_NAME));
        } catch (UnreadableStateFileException e) {
            StateFiles.moveAside(e, "DHT routing table", clock);
            saved = List.of();
        }
        Instant now = clock.instant();
        for (PeerRef p : saved) {
            table.tryAdd(p, now);
        }
        LOG.info("loaded {} saved routing-table peers", saved.size());
    }

    /** Runs {@link #maintain()} every {@link #MAINTENANCE_TICK} on a virtual thread until closed. */
    public synchronized void startMaintenance() {
        if (maintenance != null) {
            return;
        }
        maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("kad-maintenance").factory());
        long tick = MAINTENANCE_TICK.toMillis();
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                maintain();
            } catch (RuntimeException e) {
                LOG.error("DHT maintenance failed", e);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Stops maintenance and background work, stops serving and saves the routing table. */
    @Override
    public void close() {
        tableMaintenance.stop();
        synchronized (this) {
            if (maintenance != null) {
                maintenance.shutdownNow();
                maintenance = null;
            }
        }
        network.stopServing();
        saveRoutingTable();
    }

    // ---- mode ----

    public DhtMode mode() {
        synchronized (modeLock) {
            return mode;
        }
    }

    /** Tells the node whether others can reach it (AutoNAT, a public address); AUTO mode follows it. */
    public void setReachable(boolean value) {
        synchronized (modeLock) {
            reachable = value;
        }
        applyMode();
    }

    public void addModeListener(DhtModeListener listener) {
        modeListeners.add(listener);
    }

    public void removeModeListener(DhtModeListener listener) {
        modeListeners.remove(listener);
    }

    private void applyMode() {
        DhtMode previous;
        DhtMode next;
        synchronized (modeLock) {
            if (!started) {
                return;
            }
            next = switch (config.mode()) {
                case SERVER -> DhtMode.SERVER;
                case CLIENT -> DhtMode.CLIENT;
                case AUTO -> reachable ? DhtMode.SERVER : DhtMode.CLIENT;
            };
            previous = mode;
            if (previous == next) {
                return;
            }
            mode = next;
            if (next == DhtMode.SERVER) {
                network.serve(this::handleInbound);
            } else {
                network.stopServing();
            }
        }
        LOG.info("DHT mode {} -> {}", previous, next);
        for (DhtModeListener l : modeListeners) {
            l.modeChanged(previous, next);
        }
    }

    // ---- inbound ----

    /**
     * Answers one inbound request from the authenticated {@code sender}; what the network calls
     * while in server mode.
     */
    public Optional<KadMessage> handleInbound(PeerId sender, KadMessage request) throws Libp2pException {
        return handler.handle(sender, request);
    }

    /**
     * Tells the DHT that {@code peer} identified itself; a peer listing the kad protocol (a DHT
     * server) is offered to the routing table, one that stopped listing it is dropped.
     */
    public void peerIdentified(PeerRef peer, boolean dhtServer) {
        if (dhtServer) {
            table.tryAdd(peer, clock.instant());
        } else {
            table.remove(peer.id(), peer.kadId(), clock.instant());
        }
    }

    // ---- joining and maintenance ----

    /**
     * Joins through the configured bootstrap peers: connects to each, adds those whose identify
     * lists the kad protocol to the routing table, and refreshes (a lookup of our own id first).
     * The node joins through them again whenever its table runs empty.
     *
     * @return the routing table's size afterwards
     */
    public int bootstrap() {
        return tableMaintenance.join(tableMaintenance.bootstrapPeers());
    }

    /**
     * Like {@link #bootstrap()} through {@code peers}, which replace the configured bootstrap peers
     * for joining again.
     *
     * @return the routing table's size afterwards
     */
    public int bootstrap(List<PeerRef> peers) {
        return tableMaintenance.join(peers);
    }

    /**
     * Refreshes the routing table: a lookup of our own id, then random lookups in the farther
     * buckets, then liveness checks of the stale entries newcomers are waiting to replace.
     */
    public void refresh() {
        tableMaintenance.refresh();
    }

    /**
     * Runs the periodic work that is due: joining again if the routing table is empty, refresh
     * (every refresh interval), republishing provider records (every republish interval), and
     * dropping expired provider and value records.
     */
    public void maintain() {
        Instant now = clock.instant();
        providers.expire(now);
        records.expire(now);
        if (tableMaintenance.maintain(now)) {
            saveRoutingTable();
        }
        List<byte[]> due = new ArrayList<>();
        synchronized (providing) {
            for (Map.Entry<ByteBuffer, Instant> e : providing.entrySet()) {
                if (!now.isBefore(e.getValue().plus(config.republishInterval()))) {
                    due.add(e.getKey().array());
                }
            }
        }
        for (byte[] key : due) {
            provide(key);
        }
    }

    private void saveRoutingTable() {
        if (dataDir == null || !tableLoaded) {
            return;
        }
        try {
            RoutingTableFile.save(dataDir.resolve(RoutingTableFile.FILE_NAME), table.peers());
        } catch (IOException e) {
            LOG.warn("could not save the routing table in {}: {}", dataDir, e.getMessage());
        }
    }

    // ---- queries ----

    /**
     * Finds {@code peer}'s addresses: those it gave us itself if we are (or recently were)
     * connected, else from the routing table or a lookup.
     */
    public FindPeerResult findPeer(PeerId peer) {
        List<Multiaddr> known = table.addressScope().restrict(new PeerRef(peer, network.knownAddresses(peer))).addrs();
        if (!known.isEmpty()) {
            return new FindPeerResult(Optional.of(new PeerRef(peer, known)), QueryStats.LOCAL);
        }
        return queries.findPeer(peer);
    }

    /** The k peers closest to {@code key} in the keyspace that answered. */
    public ClosestPeersResult closestPeers(byte[] key) {
        return queries.closestPeers(key);
    }

    /**
     * Finds up to {@code limit} providers of {@code key} (a multihash), handing each to
     * {@code onProvider} as it arrives, on this thread.
     */
    public ProvidersResult findProviders(byte[] key, int limit, Consumer<PeerRef> onProvider) {
        return queries.findProviders(key, limit, localProviders(key), onProvider);
    }

    /** The providers of {@code key} this node holds as a server. */
    public List<PeerRef> localProviders(byte[] key) {
        return providers.get(key, clock.instant());
    }

    /**
     * Announces this node as a provider of {@code key} (a multihash) to the k closest peers, and
     * keeps re-announcing it every republish interval until {@link #stopProviding}.
     *
     * @return how many peers took the announcement
     * @throws IllegalArgumentException if the key is longer than servers accept
     */
    public int provide(byte[] key) {
        if (key.length == 0 || key.length > KadProtocol.MAX_PROVIDER_KEY_BYTES) {
            throw new IllegalArgumentException("provider key of " + key.length + " bytes is outside 1 to "
                    + KadProtocol.MAX_PROVIDER_KEY_BYTES);
        }
        Instant now = clock.instant();
        synchronized (providing) {
            providing.put(ByteBuffer.wrap(key.clone()), now);
        }
        PeerRef me = new PeerRef(self, network.localAddrs());
        if (mode() == DhtMode.SERVER) {
            providers.add(key, me, now);
        }
        return queries.provide(key, me);
    }

    /**
     * Stops re-announcing {@code key} and drops this node's own entry from its provider store, so it
     * no longer answers for the key itself; records on other peers expire on their own.
     */
    public void stopProviding(byte[] key) {
        synchronized (providing) {
            providing.remove(ByteBuffer.wrap(key));
        }
        providers.remove(key, self);
    }

    /** Whether this node announces {@code key} and keeps re-announcing it. */
    public boolean isProviding(byte[] key) {
        synchronized (providing) {
            return providing.containsKey(ByteBuffer.wrap(key));
        }
    }

    /**
     * Reads the value under {@code key}, with quorum and entry correction (see
     * {@link QueryEngine#getValue}).
     */
    public GetValueResult getValue(byte[] key) {
        Optional<byte[]> local = records.get(key, clock.instant()).map(RecordStore.StoredRecord::value);
        GetValueResult result = queries.getValue(key, local);
        // Entry correction includes ourselves: a stale local copy would go on being served to others.
        Optional<byte[]> best = result.value();
        if (local.isPresent() && best.isPresent() && !Arrays.equals(local.get(), best.get())) {
            records.put(key, best.get(), clock.instant());
        }
        return result;
    }

    /**
     * Stores {@code value} under {@code key} locally and on the k closest peers.
     *
     * @return how many peers stored it
     * @throws InvalidRecordException if the value is not valid for the key
     */
    public int putValue(byte[] key, byte[] value) throws InvalidRecordException {
        validator.validate(key, value);
        records.put(key, value, clock.instant());
        List<PeerRef> closest = queries.closestPeers(key).peers();
        return queries.fanOut(closest, KadMessage.putValue(new KadRecord(key, value)), true);
    }

    /**
     * A query engine for this node with other lookup tuning, for experiments and the simulation's
     * side-by-side comparisons; it shares this node's table and network.
     */
    public QueryEngine queries(QueryParams params) {
        return new QueryEngine(self, network, table, validator, params, clock);
    }
}
