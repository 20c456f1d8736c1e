package org.parley.node.chat;

import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;

/** One text message of a conversation as stored, body opened: ours or theirs, with its state. Immutable. */
public record StoredMessage(MessageId id, UserId contact, boolean outgoing, HlcTimestamp time, String text,
        MessageState state, Optional<String> failure) {}
