package org.parley.node.sync;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.journal.DeviceRoster;
import org.parley.journal.entry.HistoryKey;
import org.parley.journal.entry.HistoryKeys;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.devices.DeviceService;
import org.parley.node.devices.DeviceStore;
import org.parley.node.devices.UserDevices;

/**
 * The journal's view of device linking: the roster is the signed device list of this node's
 * (default) identity, current devices accepted and revoked ones refused, and the history keys
 * are that identity's, the newest sealing new entries and every generation this device holds
 * opening older ones (so entries sealed before a revoke still open). Both are held in memory and
 * read again whenever the device service stores a new list or key. Thread safe.
 */
final class LinkedDevices implements DeviceRoster, HistoryKeys {

    private final DeviceService devices;
    private final Map<Integer, HistoryKey> keysById = new ConcurrentHashMap<>();
    private volatile UserDevices list;
    private volatile HistoryKey current;

    LinkedDevices(DeviceService devices) {
        this.devices = devices;
        reload();
        devices.onChange(this::reload);
    }

    /** Reads the device list and the current history key again (after a link, revoke or rotation). */
    void reload() {
        list = devices.userDevices(Optional.empty());
        HistoryKey key = toJournal(devices.currentHistoryKey(Optional.empty()));
        keysById.put(key.id(), key);
        current = key;
    }

    @Override
    public boolean isCurrentDevice(PeerId device) {
        return list.isCurrent(device);
    }

    @Override
    public Set<PeerId> revokedDevices() {
        return list.revoked();
    }

    @Override
    public boolean hasDeviceBesides(PeerId self) {
        UserDevices devices = list;
        return devices.current().stream().anyMatch(d -> !d.peer().equals(self) && devices.isCurrent(d.peer()));
    }

    /** When {@code device} was added to the user's device list (by the device that linked it), if it is listed. */
    Optional<java.time.Instant> addedAt(PeerId device) {
        return list.list().device(device).map(org.parley.node.devices.DeviceList.Device::at);
    }

    @Override
    public HistoryKey current() {
        return current;
    }

    @Override
    public Optional<HistoryKey> byId(int id) {
        HistoryKey held = keysById.get(id);
        if (held != null) {
            return Optional.of(held);
        }
        Optional<HistoryKey> stored = devices.historyKey(Optional.empty(), id).map(LinkedDevices::toJournal);
        stored.ifPresent(k -> keysById.put(id, k));
        return stored;
    }

    private static HistoryKey toJournal(DeviceStore.HistoryKey key) {
        return new HistoryKey(key.generation(), key.key());
    }
}
