package org.parley.node.sync;

import java.time.Instant;
import org.parley.libp2p.peer.PeerId;

/**
 * How this device stands with one sibling device of the same user, as the API and events show it.
 * Immutable.
 *
 * @param state {@code in-sync}, {@code behind} (by {@code behindBy} entries), {@code syncing},
 *     {@code failed} (see {@code error}) or {@code never} (no exchange yet)
 * @param lastSync when the last exchange finished, or null
 * @param error why the last exchange failed, or null
 */
public record DeviceSyncState(PeerId device, String state, long behindBy, Instant lastSync, String error) {

    public static final String IN_SYNC = "in-sync";
    public static final String BEHIND = "behind";
    public static final String SYNCING = "syncing";
    public static final String FAILED = "failed";
    public static final String NEVER = "never";

    /** The state in words, as {@code devices} shows it: "in sync, last sync 2026-...", "behind by 3, ...". */
    public String describe() {
        String last = lastSync == null ? "" : ", last sync " + lastSync;
        return switch (state) {
            case IN_SYNC -> "in sync" + last;
            case BEHIND -> "behind by " + behindBy + last;
            case SYNCING -> "syncing" + last;
            case FAILED -> "sync failed (" + error + ")" + last;
            default -> "not synced yet";
        };
    }

    static DeviceSyncState never(PeerId device) {
        return new DeviceSyncState(device, NEVER, 0, null, null);
    }

    DeviceSyncState syncing() {
        return new DeviceSyncState(device, SYNCING, behindBy, lastSync, null);
    }
}
