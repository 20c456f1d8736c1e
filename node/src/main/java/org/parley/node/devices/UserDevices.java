package org.parley.node.devices;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.peer.PeerId;

/**
 * One user's devices as this node knows them from the user's signed device list: which PeerIds
 * are current devices and which were revoked. What the sync journal asks before it takes an entry
 * from a device. Immutable (a snapshot: ask {@link DeviceService#userDevices} again after a change).
 */
public record UserDevices(UserId user, DeviceList list) {

    /** Whether {@code peer} is one of the user's current devices. */
    public boolean isCurrent(PeerId peer) {
        return list.isCurrent(peer);
    }

    /** The user's revoked devices: their entries are refused from the revoke on. */
    public Set<PeerId> revoked() {
        return list.revoked().stream().map(DeviceList.Device::peer).collect(Collectors.toUnmodifiableSet());
    }

    /** The current devices, in the order they were added. */
    public List<DeviceList.Device> current() {
        return list.devices();
    }

    /** The list's version. */
    public long version() {
        return list.version();
    }
}
