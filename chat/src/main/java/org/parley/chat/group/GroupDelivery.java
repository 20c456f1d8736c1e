package org.parley.chat.group;

import java.util.Objects;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;

/**
 * Something the node must deliver to one member over their pairwise sessions (to each of their
 * devices, through the durable outbox), in the order given: a distribution before the ciphertexts
 * that need it. The envelope's conversation is the group's id. Immutable.
 */
public record GroupDelivery(UserId to, ChatContent content) {

    public GroupDelivery {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(content, "content");
    }
}
