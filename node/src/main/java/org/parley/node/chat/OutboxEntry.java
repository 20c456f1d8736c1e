package org.parley.node.chat;

import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatEnvelope;

/** One envelope waiting in the outbox for a contact's device, with how often it was tried. Immutable. */
public record OutboxEntry(long rowId, long identityRow, UserId contact, ChatEnvelope envelope, int attempts) {}
