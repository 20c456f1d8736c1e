package org.parley.chat.wire;

import java.util.Objects;
import org.parley.chat.identity.UserId;

/** Asks a device for the prekey bundle of one identity it holds (a node may hold several). Immutable. */
public record PrekeyRequest(UserId identity) {
    public PrekeyRequest {
        Objects.requireNonNull(identity, "identity");
    }
}
