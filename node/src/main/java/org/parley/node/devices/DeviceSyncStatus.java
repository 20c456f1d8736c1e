package org.parley.node.devices;

import java.util.Optional;
import org.parley.libp2p.peer.PeerId;

/**
 * How this device's history stands with another device of the user, in words for {@code devices}
 * ("in sync", "behind by 3", ...). History sync offers it; the device list asks it per device.
 */
@FunctionalInterface
public interface DeviceSyncStatus {

    /** Nothing known: what the device list shows while history sync does not run. */
    DeviceSyncStatus NONE = peer -> Optional.empty();

    /** The sync state with {@code peer}, if history sync has one. */
    Optional<String> describe(PeerId peer);
}
