package org.parley.node.sync;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.parley.journal.DeviceRoster;
import org.parley.journal.Journal;
import org.parley.journal.entry.EntrySigner;
import org.parley.journal.entry.HistoryKey;
import org.parley.journal.entry.HistoryKeys;
import org.parley.journal.protocol.JournalProtocol;
import org.parley.libp2p.crypto.Aead;
import org.parley.node.api.SyncRoutes;
import org.parley.node.chat.ChatHistory;
import org.parley.node.devices.DeviceService;
import org.parley.node.devices.DeviceSyncStatus;
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;

/**
 * History sync in the node: opens the journal on the node's database, serves
 * {@code /parley/journal/1.0.0}, runs the {@link SyncService} and adds {@code /api/sync}.
 *
 * <p>The device list and the history keys come from device linking ({@link #LINKED_DEVICES}); the
 * chat's messages go into the journal and the other devices' come out of it through
 * {@link ChatJournal}. Both are found in the node's {@code FeatureServices}, which the devices and
 * chat features, started before this one, fill. Tests pass their own {@link Sources}.
 */
public final class SyncFeature implements Feature {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SyncFeature.class);

    /** Where the feature gets the device roster and history keys, once the node's storage is open. */
    public interface Sources {
        DeviceRoster roster(FeatureContext context) throws IOException;

        HistoryKeys historyKeys(FeatureContext context) throws IOException;
    }

    /** This device alone, and a history key of its own: what a node runs before any device is linked. */
    public static final Sources OWN_DEVICE_ONLY = new Sources() {
        @Override
        public DeviceRoster roster(FeatureContext context) {
            return DeviceRoster.fixed(Set.of(context.host().peerId()), Set.of());
        }

        @Override
        public HistoryKeys historyKeys(FeatureContext context) throws StorageException {
            return HistoryKeys.fixed(storedHistoryKey(context.storage().keyValueStore(KV_NAMESPACE)));
        }
    };

    /**
     * The device list and history keys of device linking (this node's default identity), where the
     * devices feature runs; {@link #OWN_DEVICE_ONLY} where it does not (libsignal does not load).
     */
    public static final Sources LINKED_DEVICES = new Sources() {
        @Override
        public DeviceRoster roster(FeatureContext context) throws IOException {
            return linked(context).map(l -> (DeviceRoster) l).orElse(OWN_DEVICE_ONLY.roster(context));
        }

        @Override
        public HistoryKeys historyKeys(FeatureContext context) throws IOException {
            return linked(context).map(l -> (HistoryKeys) l).orElse(OWN_DEVICE_ONLY.historyKeys(context));
        }

        private Optional<LinkedDevices> linked(FeatureContext context) {
            return context.services().get(DeviceService.class).map(devices -> context.services()
                    .get(LinkedDevices.class).orElseGet(() -> {
                        LinkedDevices made = new LinkedDevices(devices);
                        context.services().put(LinkedDevices.class, made);
                        return made;
                    }));
        }
    };

    static final String KV_NAMESPACE = "sync";
    static final String HISTORY_KEY = "history-key.1";

    private final Sources sources;
    private final Duration interval;
    private volatile SyncService service;

    /** The node's sync: with the devices device linking lists, every {@code syncInterval} of the settings. */
    public SyncFeature() {
        this(LINKED_DEVICES, null);
    }

    /**
     * @param interval how often to run anti-entropy with every online sibling, or null for the
     *     settings' {@code syncInterval}
     */
    public SyncFeature(Sources sources, Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("sync interval must be positive, got " + interval);
        }
        this.sources = sources;
        this.interval = interval;
    }

    @Override
    public String name() {
        return "sync";
    }

    @Override
    public FeatureParts start(FeatureContext context) throws IOException {
        DeviceRoster roster = sources.roster(context);
        HistoryKeys keys = sources.historyKeys(context);
        Journal journal = new Journal(new SqliteJournalStore(context.storage().database()),
                new EntrySigner(context.deviceKey()), keys, context.clock());
        SyncService started = new SyncService(context.host(), journal, roster, context.events(), context.clock(),
                interval != null ? interval : context.settings().syncInterval());
        service = started;
        context.services().put(SyncService.class, started);
        context.services().put(DeviceSyncStatus.class, peer -> started.states().stream()
                .filter(st -> st.device().equals(peer)).findFirst().map(DeviceSyncState::describe));
        List<AutoCloseable> closeables = new java.util.ArrayList<>(List.of(started));
        context.services().get(ChatHistory.class).ifPresent(chat -> {
            Optional<LinkedDevices> linked = context.services().get(LinkedDevices.class);
            ChatJournal chatJournal = new ChatJournal(journal, chat, context.storage().keyValueStore(KV_NAMESPACE),
                    () -> linked.flatMap(l -> l.addedAt(journal.device())).map(java.time.Instant::toEpochMilli)
                            .orElse(0L));
            // The writer stops with the feature, before the database closes.
            closeables.add(chat.listen(chatJournal::changed));
            started.onExchangeEnded(() -> importChat(chatJournal));
            // Entries stored before a stop but not yet taken into the chat.
            importChat(chatJournal);
            // A device alone journals nothing; it journals its whole history once a sibling appears.
            java.util.function.BooleanSupplier siblings = () -> roster.hasDeviceBesides(journal.device());
            journalChat(chat, siblings);
            context.services().get(DeviceService.class).ifPresent(devices -> devices.onChange(
                    () -> Thread.ofVirtual().name("chat-journaling").start(() -> journalChat(chat, siblings))));
        });
        // A new or revoked device changes who to sync with; a device just linked syncs the whole history.
        context.services().get(DeviceService.class).ifPresent(devices -> devices.onChange(
                started::requestSyncWithSiblings));
        started.requestSyncWithSiblings();
        return new FeatureParts(Map.of(JournalProtocol.PROTOCOL_ID, started.handler()),
                List.of(new SyncRoutes(started)), closeables);
    }

    /** The running service, once started (for the node's other features and tests). */
    public Optional<SyncService> service() {
        return Optional.ofNullable(service);
    }

    private static void importChat(ChatJournal chatJournal) {
        try {
            int added = chatJournal.importNew();
            if (added > 0) {
                log.info("took {} messages from this user's other devices into the chat", added);
            }
        } catch (StorageException | RuntimeException e) {
            // The entries stay in the journal; the next exchange, or the next start, takes them.
            log.warn("taking the other devices' messages into the chat failed: {}", e.getMessage());
        }
    }

    private static void journalChat(ChatHistory chat, java.util.function.BooleanSupplier siblings) {
        try {
            chat.journalWhile(siblings);
        } catch (StorageException | RuntimeException e) {
            // Tried again at the next change of the device list, and at the next start.
            log.warn("could not switch the chat history's journaling: {}", e.getMessage());
        }
    }

    /** The history key kept in the database (sealed by the storage key), made on first use. */
    static HistoryKey storedHistoryKey(KeyValueStore store) throws StorageException {
        Optional<byte[]> held = store.get(HISTORY_KEY);
        if (held.isPresent() && held.get().length == Aead.KEY_BYTES) {
            return new HistoryKey(1, held.get());
        }
        byte[] key = new byte[Aead.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        store.put(HISTORY_KEY, key);
        return new HistoryKey(1, key);
    }
}
