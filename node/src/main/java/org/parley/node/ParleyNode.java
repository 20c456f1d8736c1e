package org.parley.node;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.parley.dht.DhtConfig.ModePolicy;
import org.parley.dht.DhtConfig;
import org.parley.dht.KadDht;
import org.parley.dht.host.HostKadNetwork;
import org.parley.dht.host.KadHostBinding;
import org.parley.libp2p.Libp2p;
import org.parley.libp2p.crypto.KeyFile;
import org.parley.libp2p.crypto.PrivateKey;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.protocol.autonat.AutoNat;
import org.parley.libp2p.protocol.autonat.AutoNatService;
import org.parley.libp2p.protocol.autonat.Reachability;
import org.parley.libp2p.protocol.autonat.ReachabilityTracker;
import org.parley.libp2p.protocol.relay.RelayConfig;
import org.parley.libp2p.protocol.relay.RelayTransport;
import org.parley.libp2p.transport.tcp.TcpTransport;
import org.parley.libp2p.transport.webrtc.WebRtcSupport;
import org.parley.node.api.ApiAccess;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiRoutes;
import org.parley.node.api.BootstrapRoutes;
import org.parley.node.api.ApiServer;
import org.parley.node.chat.ChatFeature;
import org.parley.node.devices.DevicesFeature;
import org.parley.node.dht.DhtFeature;
import org.parley.node.dht.DhtService;
import org.parley.node.events.EventBus;
import org.parley.node.events.EventsFeature;
import org.parley.node.events.NodeEventBridge;
import org.parley.node.feature.Feature;
import org.parley.node.files.FilesFeature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.identity.RendezvousAnnouncer;
import org.parley.node.identity.UserDirectoryFeature;
import org.parley.node.identity.UserRendezvous;
import org.parley.node.nat.RelayHop;
import org.parley.node.nat.NodeWebRtc;
import org.parley.node.nat.RelayReservations;
import org.parley.node.network.NetworkFeature;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;
import org.parley.node.sync.SyncFeature;
import org.parley.node.web.WebUiFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley node: the data dir lock, the storage (key and database), the event bus, the
 * libp2p host, the DHT, the bootstrap connections, the {@link Feature}s (each given one
 * {@link FeatureContext}) and the local HTTP API serving their routes, started in that order and
 * closed in reverse. A new feature is one more entry in {@link #defaultFeatures()}, not more code
 * here. Thread safe.
 */
public final class ParleyNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParleyNode.class);
    /** A lookup step ends within the DHT's request timeout; shutdown does not wait for more. */
    private static final java.time.Duration JOIN_STOP_WAIT = DhtConfig.DEFAULT_REQUEST_TIMEOUT;

    private final NodeSettings settings;
    private final Host host;
    private final ApiEndpoint endpoint;
    private final byte[] rendezvousKey;
    private final RendezvousAnnouncer announcer;
    private final NodeStorage storage;
    private final EventBus events;
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ParleyNode(NodeSettings settings, Host host, ApiEndpoint endpoint, byte[] rendezvousKey,
            RendezvousAnnouncer announcer, NodeStorage storage, EventBus events, Deque<AutoCloseable> resources) {
        this.settings = settings;
        this.host = host;
        this.endpoint = endpoint;
        this.rendezvousKey = rendezvousKey;
        this.announcer = announcer;
        this.storage = storage;
        this.events = events;
        this.resources = resources;
    }

    /** The features every node runs, started in this order. */
    public static List<Feature> defaultFeatures() {
        return defaultFeatures(Optional.empty());
    }

    /**
     * The features every node runs, the devices feature linking this node through {@code linkCode}
     * ({@code --link}) first if given.
     */
    public static List<Feature> defaultFeatures(Optional<String> linkCode) {
        return List.of(new NetworkFeature(), new DhtFeature(), new UserDirectoryFeature(), new FilesFeature(),
                new EventsFeature(), new DevicesFeature(linkCode), new ChatFeature(), new SyncFeature(),
                new WebUiFeature());
    }

    /**
     * Starts a node with the {@link #defaultFeatures()} on the system clock.
     *
     * @throws IOException with a message saying what to change (port in use, data dir locked, ...)
     */
    public static ParleyNode start(NodeSettings settings) throws IOException {
        return start(settings, defaultFeatures(), InstantSource.system());
    }

    /**
     * Starts a node with {@code features}; everything started so far is closed again if a step
     * fails.
     *
     * @param clock the time the node and its features read
     * @throws IOException with a message saying what to change (port in use, data dir locked, ...)
     */
    public static ParleyNode start(NodeSettings settings, List<Feature> features, InstantSource clock)
            throws IOException {
        return start(settings, features, clock, WebRtcSupport::status);
    }

    /**
     * As {@link #start(NodeSettings, List, InstantSource)}, with WebRTC as {@code webRtcStatus}
     * says (loading the native library is what {@link WebRtcSupport#status()} does; a test passes
     * an unavailable status to run the node as on a machine without it).
     */
    public static ParleyNode start(NodeSettings settings, List<Feature> features, InstantSource clock,
            Supplier<WebRtcSupport.Status> webRtcStatus) throws IOException {
        return start(settings, features, clock, webRtcStatus, ApiAccess.newToken());
    }

    /**
     * As {@link #start(NodeSettings, List, InstantSource, Supplier)}, with the API's access token
     * given: a node started again in the same process ({@link NodeRunner}) keeps the token that the
     * open page holds in its cookie.
     */
    public static ParleyNode start(NodeSettings settings, List<Feature> features, InstantSource clock,
            Supplier<WebRtcSupport.Status> webRtcStatus, String apiToken) throws IOException {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DataDir dataDir = settings.dataDir();
            dataDir.create();
            resources.push(DataDirLock.acquire(dataDir));
            // Storage first: a storage.key the node cannot open stops the start before anything is written.
            NodeStorage storage = NodeStorage.open(dataDir.storageKeyFile(), dataDir.databaseFile(),
                    PassphraseSource.of(settings.passphraseFile()));
            resources.push(storage);
            EventBus events = new EventBus();
            resources.push(events);

            PrivateKey key = KeyFile.loadOrCreate(dataDir.keyFile());
            // The relay client: dials <relay>/p2p/R/p2p-circuit/p2p/T and reserves a slot for each
            // <relay>/p2p/R/p2p-circuit listen address.
            RelayTransport relayClient = new RelayTransport(clock.withZone(ZoneOffset.UTC));
            // WebRTC when the native library loads: signaled over relayed connections, then direct.
            NodeWebRtc webrtc = NodeWebRtc.create(settings.stun(), webRtcStatus.get());
            List<Multiaddr> listen = new ArrayList<>(settings.listen());
            listen.addAll(webrtc.listenAddresses(settings.listen()));
            Host host = Libp2p.newHost()
                    .identity(key)
                    .transport(TcpTransport::new)
                    .transport(relayClient)
                    .transport(webrtc.transportFactory())
                    .listen(listen)
                    .agentVersion(ParleyVersion.agentVersion())
                    .build();
            resources.push(host);
            relayClient.bind(host);
            webrtc.attach(host);
            resources.push(relayClient);
            startHost(host, settings.listen());

            KadDht dht = startDht(host, key, settings, clock, webrtc, resources);
            // After the DHT's host binding: the host calls subscribers in order on one thread, so an
            // identified peer is in the routing table before peer.identified tells the page to look.
            resources.push(NodeEventBridge.attach(host, dht, events));
            // The device key's rendezvous: find-user PEER_ID finds this device by it. Each user identity's
            // rendezvous is announced by the chat feature.
            byte[] rendezvousKey = UserRendezvous.key(key.publicKey());
            RendezvousAnnouncer announcer = new RendezvousAnnouncer(host, dht, rendezvousKey);
            resources.push(announcer);

            KeyValueStore bootstrapEdits = storage.keyValueStore(BootstrapPeers.NAMESPACE);
            BootstrapKeeper bootstrap = new BootstrapKeeper(host,
                    BootstrapPeers.effective(settings.bootstrap(), bootstrapEdits), DnsaddrResolver.system());
            resources.push(bootstrap);
            bootstrap.start();
            BootstrapPeers bootstrapPeers = new BootstrapPeers(host, bootstrap, settings.bootstrap(), bootstrapEdits);
            joinDht(dht, announcer, resources);

            FeatureContext context = new FeatureContext(host, new DhtService(dht, key, clock), key, clock, settings,
                    storage, events, webrtc);
            List<ApiRoutes> routes = new ArrayList<>(startFeatures(features, context, resources));
            routes.add(new BootstrapRoutes(bootstrapPeers));
            ApiServer api = ApiServer.start(settings.apiPort(), apiToken, routes);
            resources.push(api);
            ApiEndpoint endpoint = new ApiEndpoint(api.port(), api.token(), ProcessHandle.current().pid(),
                    host.peerId().toBase58());
            endpoint.write(dataDir.apiFile());
            resources.push(() -> deleteApiFile(dataDir, endpoint));

            ParleyNode node = new ParleyNode(settings, host, endpoint, rendezvousKey, announcer, storage, events,
                    resources);
            log.info("node {} started; data dir {}; listening on {}; API on 127.0.0.1:{}",
                    host.peerId(), dataDir, host.listenAddresses(), api.port());
            return node;
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * Starts each feature, serves its protocols on the host and keeps its closeables (and the
     * removal of its handlers) for {@link #close()}.
     *
     * @return the API routes of all features, in feature order
     */
    private static List<ApiRoutes> startFeatures(List<Feature> features, FeatureContext context,
            Deque<AutoCloseable> resources) throws IOException {
        List<ApiRoutes> routes = new ArrayList<>();
        for (Feature feature : features) {
            FeatureParts parts = feature.start(context);
            parts.closeables().forEach(resources::push);
            for (Map.Entry<String, StreamHandler> protocol : parts.protocols().entrySet()) {
                context.host().setHandler(protocol.getKey(), protocol.getValue());
                resources.push(() -> context.host().removeHandler(protocol.getKey()));
            }
            routes.addAll(parts.routes());
            log.debug("feature {} started: {} protocols, {} route groups", feature.name(), parts.protocols().size(),
                    parts.routes().size());
        }
        return routes;
    }

    /**
     * Starts the DHT on the host: its kad network, the identify feed into the routing table, the
     * table saved in the data dir, and its periodic maintenance.
     */
    private static KadDht startDht(Host host, PrivateKey key, NodeSettings settings, InstantSource clock,
            NodeWebRtc webrtc, Deque<AutoCloseable> resources) throws IOException {
        HostKadNetwork network = new HostKadNetwork(host, clock);
        resources.push(network);
        DhtConfig config = DhtConfig.defaults()
                .withMode(settings.dhtMode())
                .withBootstrap(settings.bootstrap());
        KadDht dht = KadDht.builder(host.peerId(), network)
                .config(config)
                .dataDir(settings.dataDir().dhtDir())
                .clock(clock)
                .build();
        resources.push(dht);
        resources.push(KadHostBinding.attach(host, dht));
        dht.start();
        // AutoNAT decides: under --dht-mode auto, peers that dial us back make the node a DHT
        // server, a NAT keeps it a client; it is a client until the first verdict.
        AutoNatService dialBacks = new AutoNatService(host, clock);
        dialBacks.start();
        resources.push(dialBacks);
        // The relay hop follows the same verdicts: a node relays for NATed peers only while public.
        RelayHop relayHop = new RelayHop(host, key, RelayConfig.defaults(), clock.withZone(ZoneOffset.UTC),
                settings.relayService());
        resources.push(relayHop);
        relayHop.start();
        RelayReservations reservations = new RelayReservations(host, webrtc.available());
        resources.push(reservations);
        reservations.start();
        AutoNat autoNat = new AutoNat(host, new ReachabilityTracker());
        autoNat.onChange(reachability -> {
            dht.setReachable(reachability == Reachability.PUBLIC);
            relayHop.onReachability(reachability);
            reservations.onReachability(reachability);
            log.info("AutoNAT: reachability {}; DHT mode {}", reachability.name().toLowerCase(), dht.mode());
        });
        resources.push(autoNat);
        autoNat.start();
        dht.setReachable(false);
        log.info("DHT mode {} (policy {}{})", dht.mode(), settings.dhtMode().configName(),
                settings.dhtMode() == ModePolicy.AUTO ? "; a client until AutoNAT finds the node reachable" : "");
        dht.startMaintenance();
        return dht;
    }

    /**
     * Fills the routing table through the bootstrap peers, then announces this device under its
     * rendezvous key, in the background.
     */
    private static void joinDht(KadDht dht, RendezvousAnnouncer announcer, Deque<AutoCloseable> resources) {
        Thread join = Thread.ofVirtual().name("dht-join").start(() -> {
            try {
                int size = dht.bootstrap();
                log.info("DHT joined: {} peers in the routing table", size);
            } catch (RuntimeException e) {
                log.warn("joining the DHT failed: {}; maintenance retries every {} minutes", e.toString(),
                        DhtConfig.DEFAULT_REFRESH_INTERVAL.toMinutes());
            }
            announcer.announce();
        });
        resources.push(() -> {
            join.interrupt();
            join.join(JOIN_STOP_WAIT);
        });
    }

    private static void startHost(Host host, List<Multiaddr> listen) throws IOException {
        try {
            host.start();
        } catch (BindException e) {
            throw new IOException("cannot listen on " + listen + ": " + e.getMessage() + ". Is another node using"
                    + " the port? Choose another with --listen, e.g. --listen /ip4/0.0.0.0/tcp/4002", e);
        }
    }

    /** Removes api.json only if it is still ours: a node started later may have replaced it. */
    private static void deleteApiFile(DataDir dataDir, ApiEndpoint ours) throws IOException {
        try {
            if (ApiEndpoint.read(dataDir.apiFile()).equals(ours)) {
                Files.deleteIfExists(dataDir.apiFile());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // Already gone: nothing to clean up.
        }
    }

    public Host host() {
        return host;
    }

    public NodeSettings settings() {
        return settings;
    }

    /** The node's database, storage key cipher and stores. */
    public NodeStorage storage() {
        return storage;
    }

    /** The bus features publish their live events on; {@code /api/events} carries them. */
    public EventBus events() {
        return events;
    }

    /** Where the CLI finds this node's API. */
    public ApiEndpoint apiEndpoint() {
        return endpoint;
    }

    /** The full multiaddrs peers can dial, {@code .../p2p/<PeerId>}, loopback first. */
    public List<Multiaddr> dialableAddresses() {
        return ListenAddresses.dialable(host.listenAddresses(), host.peerId());
    }

    /**
     * The multihash under which this device announces itself on the DHT as a device of its user:
     * {@code sha2-256("parley/user/v1" || public key)}, of the device key until identities exist.
     */
    public byte[] rendezvousKey() {
        return rendezvousKey.clone();
    }

    /**
     * Waits until some DHT peer has taken this device's rendezvous announcement, for callers that
     * need the device findable with find-user.
     *
     * @return how many peers took it, or 0 if none did within {@code timeout}
     */
    public int awaitRendezvousAnnounced(java.time.Duration timeout) throws InterruptedException {
        return announcer.awaitAnnounced(timeout);
    }

    /**
     * Prints the lines scripts rely on, in this order and format (documented in the README):
     * {@code peer-id: }, {@code rendezvous: }, {@code user-id: } (the default identity, when chat
     * runs here), one {@code listen: } per address, {@code api: }, then {@code ready}.
     */
    public void printStartup(PrintWriter out) {
        out.println("peer-id: " + host.peerId().toBase58());
        out.println("rendezvous: " + Base58.encode(rendezvousKey));
        userId().ifPresent(id -> out.println("user-id: " + id.text()));
        for (Multiaddr address : dialableAddresses()) {
            out.println("listen: " + address);
        }
        out.println("api: " + endpoint.webUri());
        out.println("ready");
        out.flush();
    }

    /** The default identity's user ID (the oldest active one), if this node holds one. */
    public java.util.Optional<org.parley.chat.identity.UserId> userId() {
        try {
            return new LocalIdentities(storage.database(), storage.cipher()).all().stream()
                    .filter(LocalIdentity::active).findFirst().map(LocalIdentity::userId);
        } catch (java.io.IOException e) {
            log.warn("cannot read the identities: {}", e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the API, the bootstrap keeper and the host, and releases the data dir. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        log.info("node {} stopping", host.peerId());
        closeAll(resources);
        log.info("node {} stopped", host.peerId());
        closed.countDown();
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
