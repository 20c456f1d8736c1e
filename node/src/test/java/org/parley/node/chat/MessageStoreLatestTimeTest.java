package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.node.chat.StoreFixture.text;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.node.storage.NodeStorage;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * {@link MessageStore#latestTime}, which each send asks, on a real database file: it follows
 * every message kept after the first read, whichever way it came (sent, received, a sibling's
 * copy), never goes back for an older one, keeps conversations apart, and a store opened afresh
 * reads the same from the table.
 */
class MessageStoreLatestTimeTest {

    @TempDir
    Path dir;

    @Test
    void followsEveryKeptMessageAndNeverGoesBack() throws Exception {
        UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
        UserId carol = UserId.of(IdentityKeyPair.generate().getPublicKey());
        try (StoreFixture fixture = StoreFixture.open(dir)) {
            long identity = fixture.identity;
            NodeStorage storage = fixture.storage;
            MessageStore store = fixture.messages;
            assertThat(store.latestTime(identity, bob)).isEmpty();

            store.addOutgoing(identity, bob, text(1_000, 0), "sent", 1_000);
            assertThat(store.latestTime(identity, bob)).contains(new HlcTimestamp(1_000, 0));

            store.addIncoming(identity, bob, text(2_000, 3), "received", Optional.empty(), 2_000);
            assertThat(store.latestTime(identity, bob)).contains(new HlcTimestamp(2_000, 3));

            store.addCopy(identity, bob, text(500, 0), "an older copy", true, MessageState.SENT);
            assertThat(store.latestTime(identity, bob)).as("an older message does not move it back")
                    .contains(new HlcTimestamp(2_000, 3));

            store.addCopy(identity, bob, text(3_000, 1), "a later copy", false, MessageState.RECEIVED);
            assertThat(store.latestTime(identity, bob)).contains(new HlcTimestamp(3_000, 1));
            assertThat(store.latestTime(identity, carol)).as("another conversation").isEmpty();

            MessageStore reopened = new MessageStore(storage.database(), storage.cipher());
            assertThat(reopened.latestTime(identity, bob)).contains(new HlcTimestamp(3_000, 1));
        }
    }
}
