package org.parley.node.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.parley.chat.identity.ChatRendezvous;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.ChatReceiver;
import org.parley.chat.protocol.PrekeyResponder;
import org.parley.chat.session.LibsignalRuntime;
import org.parley.dht.KadDht;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.api.ChatRoutes;
import org.parley.node.api.GroupRoutes;
import org.parley.node.devices.ContactDeviceLists;
import org.parley.node.devices.DeviceStore;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.identity.RendezvousAnnouncer;
import org.parley.node.storage.StorageException;
import org.parley.node.versions.DeviceVersions;
import org.parley.node.versions.UnsafeVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end encrypted chat in the node: creates the first identity, serves
 * {@code /parley/prekeys/1.0.0} and {@code /parley/chat/1.0.0} and {@code 1.1.0}, announces each active identity's
 * rendezvous key on the DHT, runs the durable outbox, and serves the chat API (whose contacts show
 * their client version, with a warning when the configured unsafe-version list flags it). Where libsignal's
 * native library does not load, it says why once and serves only that reason (503); the rest of
 * the node runs.
 */
public final class ChatFeature implements Feature {

    private static final Logger log = LoggerFactory.getLogger(ChatFeature.class);

    /** The key-value namespace of chat state that has no table of its own. */
    static final String CHAT_SETTINGS = "chat";

    private final Supplier<Optional<String>> unavailableReason;
    /** The service of the last start, for the in-process row of {@code scripts/bench chat}; null before. */
    private volatile ChatService service;
    /** The state of the last start, for tests; null before. */
    private volatile ChatRuntime runtime;

    /** Chat where libsignal loads, as {@link LibsignalRuntime} finds. */
    public ChatFeature() {
        this(LibsignalRuntime::unavailableReason);
    }

    /** @param unavailableReason why chat cannot run here, if it cannot (tests stand in for a platform without libsignal) */
    ChatFeature(Supplier<Optional<String>> unavailableReason) {
        this.unavailableReason = unavailableReason;
    }

    /** The chat service once started: the bench drives the node's own send path through it, without HTTP. */
    Optional<ChatService> service() {
        return Optional.ofNullable(service);
    }

    /** The chat's side of the shared history once started (tests import changes through it). */
    Optional<ChatHistory> history() {
        return runtime().map(r -> r.history);
    }

    /** The chat's state once started (tests drive what a frame would, without the frame). */
    Optional<ChatRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    private static boolean revokedBy(ContactDeviceLists lists, long identity, UserId contact,
            PeerId peer) {
        try {
            return lists.get(identity, contact)
                    .map(k -> k.list().list().revoked().stream().anyMatch(d -> d.peer().equals(peer))).orElse(false);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code identity}'s signed device list names a device besides this one. */
    private static boolean hasSiblings(DeviceStore ownLists, LocalIdentity identity) {
        try {
            return ownLists.list(identity.rowId()).map(l -> l.list().devices().size() > 1).orElse(false);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One identity's rendezvous announcement and the thread that runs it. */
    private record Announcement(RendezvousAnnouncer announcer, Thread thread) {}

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public FeatureParts start(FeatureContext context) throws IOException {
        Optional<String> unavailable = unavailableReason.get();
        if (unavailable.isPresent()) {
            log.warn("{}", unavailable.get());
            return FeatureParts.routes(ChatRoutes.unavailable(unavailable.get()));
        }
        IdentityService identities = IdentityService.of(context);
        identities.ensureOne();
        ContactProtection protection = new ContactProtection(context.host());
        ChatRuntime runtime = new ChatRuntime(identities, context.storage().database(), context.storage().cipher(),
                context.storage().keyValueStore(CHAT_SETTINGS), context.events(), context.clock(), protection);
        runtime.forEachContact(protection);
        context.services().put(ChatHistory.class, runtime.history);
        this.runtime = runtime;
        List<AutoCloseable> closeables = new ArrayList<>();
        DeviceStore ownLists = new DeviceStore(context.storage().database(), context.storage().cipher());
        ContactDeviceLists contactLists = new ContactDeviceLists(context.storage().database());
        DeviceFanout fanout = new DeviceFanout(runtime, context.host(), contactLists, ownLists);
        CoMembers coMembers = new CoMembers(runtime);
        ChatOutbox outbox = new ChatOutbox(runtime, context.host(), new ContactDevices(context.host(), context.dht()),
                fanout, coMembers);
        closeables.add(outbox);
        ChatService service = new ChatService(runtime, outbox);
        this.service = service;
        GroupService groups = new GroupService(runtime, service,
                new GroupStore(context.storage().database(), context.storage().cipher(), runtime.history::recorded),
                outbox::wake,
                contact -> contact.peerId().map(peer -> !context.host()
                        .connections(PeerId.parse(peer)).isEmpty()).orElse(false), coMembers,
                identity -> hasSiblings(ownLists, identity));
        ChatInbox inbox = new ChatInbox(runtime, outbox, new SiblingCopies(runtime, ownLists, groups),
                (identity, contact, peer) -> revokedBy(contactLists, identity, contact, peer), groups, coMembers);
        Map<Long, Announcement> announcements = new ConcurrentHashMap<>();
        closeables.add(() -> announcements.values().forEach(a -> a.announcer().close()));
        KadDht dht = context.dht().dht();
        Consumer<LocalIdentity> announce = identity -> {
            runtime.chat(identity).prekeys().maintain();
            byte[] key = ChatRendezvous.key(identity.userId());
            RendezvousAnnouncer announcer = new RendezvousAnnouncer(context.host(), dht, key);
            Thread thread = Thread.ofVirtual().name("chat-rendezvous").unstarted(announcer::announce);
            announcements.put(identity.rowId(), new Announcement(announcer, thread));
            thread.start();
        };
        identities.active().forEach(announce);
        identities.onCreated(announce);
        UnsafeVersions unsafe = new UnsafeVersions();
        closeables.add(unsafe.keepLoaded(context.settings().unsafeVersions()));
        DeviceVersions versions = new DeviceVersions(context.host(),
                context.storage().keyValueStore(DeviceVersions.NAMESPACE), unsafe::list);
        closeables.add(versions);
        identities.onRetired(identity -> {
            // A retired identity is no longer findable from this moment, not from the next start.
            byte[] key = ChatRendezvous.key(identity.userId());
            Announcement gone = announcements.remove(identity.rowId());
            dht.stopProviding(key);
            if (gone != null) {
                gone.announcer().close();
                // An announcement under way when the identity was retired may provide the key once more.
                Thread.ofVirtual().name("chat-rendezvous-retire").start(() -> {
                    try {
                        gone.thread().join();
                    } catch (InterruptedException e) {
                        return;
                    }
                    dht.stopProviding(key);
                });
            }
        });
        // The outbox hands the replies its acks carry (delivered receipts) to the inbox.
        outbox.takeRepliesWith(inbox);
        outbox.start();
        if (context.settings().coverTraffic().enabled()) {
            CoverSender cover = new CoverSender(runtime, outbox, context.settings().coverTraffic());
            closeables.addFirst(cover);
            cover.start();
            log.info("cover traffic on: {} dummy envelopes a minute to each connected contact",
                    context.settings().coverTraffic().perMinute());
        }
        // Chat frames and prekey bundles are small, so they also run over a relay's limited
        // circuit: two devices that meet only through a relay (a symmetric NAT on one side) still
        // chat. Files stay on direct connections.
        StreamHandler chatFrames = StreamHandler.acceptingLimited(new ChatReceiver(inbox));
        Map<String, StreamHandler> protocols = Map.of(
                PrekeyResponder.PROTOCOL_ID, StreamHandler.acceptingLimited(new PrekeyResponder(inbox)),
                ChatReceiver.PROTOCOL_ID, chatFrames,
                ChatReceiver.PROTOCOL_WITH_REPLIES, chatFrames);
        return new FeatureParts(protocols, List.of(ChatRoutes.of(identities, service, groups, versions),
                GroupRoutes.of(service, groups)), closeables);
    }
}
