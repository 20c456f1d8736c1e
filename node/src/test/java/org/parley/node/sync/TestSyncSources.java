package org.parley.node.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.parley.journal.DeviceRoster;
import org.parley.journal.entry.HistoryKey;
import org.parley.journal.entry.HistoryKeys;
import org.parley.libp2p.crypto.KeyFile;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.DataDir;
import org.parley.node.feature.FeatureContext;

/**
 * The roster and history key that device linking will give, fixed for tests: every node in a
 * test gets the same list of devices (their keys made in the data dirs before the nodes start)
 * and the same history key.
 */
final class TestSyncSources implements SyncFeature.Sources {

    static final HistoryKey HISTORY_KEY = new HistoryKey(1, new byte[32]);

    private final DeviceRoster roster;

    TestSyncSources(Set<PeerId> devices) {
        this.roster = DeviceRoster.fixed(devices, Set.of());
    }

    /** The PeerId a node on {@code dir} will have: its device key is made here if it is not there yet. */
    static PeerId deviceOf(Path dir) throws IOException {
        DataDir dataDir = new DataDir(dir);
        dataDir.create();
        return PeerId.fromPublicKey(KeyFile.loadOrCreate(dataDir.keyFile()).publicKey());
    }

    @Override
    public DeviceRoster roster(FeatureContext context) {
        return roster;
    }

    @Override
    public HistoryKeys historyKeys(FeatureContext context) {
        return HistoryKeys.fixed(HISTORY_KEY);
    }
}
