package org.parley.chat.wire;

import java.util.Objects;

/**
 * One message between users' devices, before padding and encryption: an id ({@link MessageId}), a hybrid
 * logical clock timestamp, the conversation, and the content. Immutable.
 */
public record ChatEnvelope(MessageId id, HlcTimestamp timestamp, ConversationId conversation, ChatContent content) {

    public ChatEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(content, "content");
    }
}
