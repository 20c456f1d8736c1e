package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.chat.StoreFixture.text;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * Rescheduling queued envelopes on a real database file ({@link MessageStore#retryAt}): an attempt
 * counts toward the backoff only if the envelope was due, so early attempts (a new message woke
 * the contact's lane) do not lengthen the wait.
 */
class MessageStoreRetryTest {

    @TempDir
    Path dir;

    private final UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
    private StoreFixture fixture;
    private MessageStore store;
    private long identity;

    @BeforeEach
    void open() throws Exception {
        fixture = StoreFixture.open(dir);
        store = fixture.messages;
        identity = fixture.identity;
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

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
