package org.parley.node.chat;

import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;

/** The pairwise conversation id of two users, for features that store contacts outside chat (a linked device). Stateless. */
public final class ChatConversations {

    private ChatConversations() {}

    /** The same id on both sides: derived from both user IDs in a fixed order. */
    public static ConversationId of(UserId a, UserId b) {
        return ChatRuntime.conversation(a, b);
    }
}
