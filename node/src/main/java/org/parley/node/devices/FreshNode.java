package org.parley.node.devices;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * Whether this node is still fresh, so that linking it as a new device may replace its database:
 * its only identity is the one made automatically at first start (device number 1), and it has no
 * contacts, messages, groups, file shares or downloads, and no other devices. Stateless.
 */
public final class FreshNode {

    /** A table whose rows are the user's, with what the refusal calls them. */
    private record Holding(String table, String what) {}

    private static final List<Holding> HOLDINGS = List.of(
            new Holding("contact", "contacts or contact requests"),
            new Holding("chat_message", "messages"),
            new Holding("group_membership", "groups"),
            new Holding("group_message", "group messages"),
            new Holding("file_shares", "shared files"),
            new Holding("file_downloads", "downloads"));

    private FreshNode() {}

    /**
     * What this node holds that linking would drop, or empty if it is fresh.
     *
     * @param devices this user's devices as the devices feature knows them
     */
    public static Optional<String> holds(NodeDatabase database, LocalIdentities identities, DeviceService devices)
            throws StorageException {
        List<LocalIdentity> all = identities.all();
        if (all.size() != 1 || all.getFirst().deviceId() != IdentityService.THIS_DEVICE) {
            return Optional.of(all.isEmpty() ? "no identity yet" : "an identity you created or linked");
        }
        for (Holding holding : HOLDINGS) {
            // The table names are the constants above, never input.
            boolean any = database.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + holding.table() + ")");
                        ResultSet r = s.executeQuery()) {
                    return r.next() && r.getInt(1) == 1;
                }
            });
            if (any) {
                return Optional.of(holding.what());
            }
        }
        if (devices.devices(Optional.empty()).size() > 1) {
            return Optional.of("other devices linked to it");
        }
        return Optional.empty();
    }
}
