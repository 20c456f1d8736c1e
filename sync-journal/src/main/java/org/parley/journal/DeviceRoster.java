package org.parley.journal;

import java.util.Set;
import org.parley.libp2p.peer.PeerId;

/**
 * The user's device list as the journal needs it: which PeerIds are current devices of this user
 * (whose entries are accepted and who may sync with us) and which were revoked (whose entries are
 * refused from then on). The node supplies the real one from device linking's signed list; tests
 * use {@link #fixed}. Implementations are thread safe and answer from memory.
 */
public interface DeviceRoster {

    /** True if {@code device} is on the user's current device list. */
    boolean isCurrentDevice(PeerId device);

    /** The devices taken off the list; their entries are refused even if they still sign. */
    Set<PeerId> revokedDevices();

    default boolean isRevoked(PeerId device) {
        return revokedDevices().contains(device);
    }

    /** True if entries signed by {@code device} are accepted: current and not revoked. */
    default boolean accepts(PeerId device) {
        return isCurrentDevice(device) && !isRevoked(device);
    }

    /**
     * True if the user has a current device other than {@code self}: someone to journal for. A
     * roster that cannot tell answers true, so that nothing goes unjournaled.
     */
    default boolean hasDeviceBesides(PeerId self) {
        return true;
    }

    /** A roster that never changes. */
    static DeviceRoster fixed(Set<PeerId> current, Set<PeerId> revoked) {
        Set<PeerId> devices = Set.copyOf(current);
        Set<PeerId> gone = Set.copyOf(revoked);
        return new DeviceRoster() {
            @Override
            public boolean isCurrentDevice(PeerId device) {
                return devices.contains(device);
            }

            @Override
            public Set<PeerId> revokedDevices() {
                return gone;
            }

            @Override
            public boolean hasDeviceBesides(PeerId self) {
                return devices.stream().anyMatch(d -> !d.equals(self) && !gone.contains(d));
            }
        };
    }
}
