package org.parley.chat.group;

import java.util.Comparator;
import java.util.Objects;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;

/**
 * One text message of a group, decrypted (or written here). Every member shows a group's messages
 * in the same order: by hybrid logical clock, then by sender ID, then by message id. Immutable.
 */
public record GroupText(ConversationId group, UserId sender, MessageId id, HlcTimestamp timestamp, String text) {

    /** The order every member shows a group's messages in. */
    public static final Comparator<GroupText> ORDER = Comparator.comparing(GroupText::timestamp)
            .thenComparing(t -> t.sender().text())
            .thenComparing(t -> t.id().toString());

    public GroupText {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(text, "text");
    }
}
