package org.parley.node.chat;

import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;

/**
 * One message of a conversation as stored, body opened: ours or theirs, with its state. A file
 * offer has its link in {@code fileLink} and the file's name as its text. Immutable.
 */
public record StoredMessage(MessageId id, UserId contact, boolean outgoing, HlcTimestamp time, String text,
        MessageState state, Optional<String> failure, Optional<String> fileLink) {

    /** A text message. */
    public StoredMessage(MessageId id, UserId contact, boolean outgoing, HlcTimestamp time, String text,
            MessageState state, Optional<String> failure) {
        this(id, contact, outgoing, time, text, state, failure, Optional.empty());
    }

    /** An opened body: the text, and the link if the message is a file offer. */
    public record Body(String text, Optional<String> fileLink) {}
}
