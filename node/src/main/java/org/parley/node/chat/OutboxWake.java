package org.parley.node.chat;

import org.parley.chat.identity.UserId;

/** How chat code tells the outbox that it has something new to send. */
interface OutboxWake {

    /**
     * Something was queued (or made due) for {@code contact} of local identity {@code identityRow}:
     * only that contact's delivery is woken.
     */
    void queued(long identityRow, UserId contact);
}
