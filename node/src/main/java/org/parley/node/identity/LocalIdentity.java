package org.parley.node.identity;

import java.time.Instant;
import java.util.Optional;
import org.parley.chat.identity.UserId;

/**
 * One user identity this node holds, without its private key: the row number the stores key on,
 * its user ID, this device's numbers under it, its display name, and when it was created and (if
 * so) retired. Immutable.
 */
public record LocalIdentity(long rowId, UserId userId, int registrationId, int deviceId, Optional<String> displayName,
        Instant createdAt, Optional<Instant> retiredAt) {

    public boolean active() {
        return retiredAt.isEmpty();
    }
}
