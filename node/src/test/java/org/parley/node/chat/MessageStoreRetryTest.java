package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.chat.StoreFixture.text;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rescheduling queued envelopes on a real database file ({@link MessageStore#retryAt}): an attempt
 * counts toward the backoff only if the envelope was due, so early attempts (a new message woke
 * the contact's lane) do not lengthen the wait.
 */
class MessageStoreRetryTest extends MessageStoreTestBase {

    @Test
    void onlyAttemptsMadeWhenDueCountTowardTheBackoff() throws Exception {
        store.addOutgoing(identity, bob, text(1_000, 0), "first", 1_000);
        store.addOutgoing(identity, bob, text(1_100, 0), "second", 1_100);
        List<Long> rows = store.queuedAfter(identity, bob, 0, 10).stream().map(OutboxEntry::rowId).toList();

        store.retryAt(rows, 2_000, 2_500, "the device failed the batch");
        assertThat(attempts()).as("both were due").containsExactly(1, 1);
        assertThat(dueAt()).isEqualTo(2_500);

        store.retryAt(rows, 2_100, 3_000, "again, woken early by a new message");
        assertThat(attempts()).as("tried before they were due").containsExactly(1, 1);
        assertThat(dueAt()).isEqualTo(3_000);

        store.retryAt(rows.subList(0, 1), 3_000, 4_000, "again, once due");
        assertThat(attempts()).containsExactly(2, 1);
    }

    private List<Integer> attempts() throws Exception {
        return store.queuedAfter(identity, bob, 0, 10).stream().map(OutboxEntry::attempts).toList();
    }

    private long dueAt() throws Exception {
        return store.queuedContacts().getFirst().dueAt();
    }
}
