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
import org.parley.node.feature.Feature;
import org.parley.node.feature.FeatureContext;
import org.parley.node.feature.FeatureParts;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;

/**
 * History sync in the node: opens the journal on the node's database, serves
 * {@code /parley/journal/1.0.0}, runs the {@link SyncService} and adds {@code /api/sync}.
 *
 * <p>The device list and the history key come from device linking; until that supplies them the
 * default roster holds this device alone (nothing to sync with) and the history key is one made
 * here and kept sealed in the database. Tests and linking pass their own {@link Sources}.
 */
public final class SyncFeature implements Feature {

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

    static final String KV_NAMESPACE = "sync";
    static final String HISTORY_KEY = "history-key.1";

    private final Sources sources;
    private final Duration interval;
    private volatile SyncService service;

    /** The node's sync: this device alone until linking supplies a roster, every {@code syncInterval} of the settings. */
    public SyncFeature() {
        this(OWN_DEVICE_ONLY, null);
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
        return new FeatureParts(Map.of(JournalProtocol.PROTOCOL_ID, started.handler()),
                List.of(new SyncRoutes(started)), List.of(started));
    }

    /** The running service, once started (for the node's other features and tests). */
    public Optional<SyncService> service() {
        return Optional.ofNullable(service);
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
