package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageKey;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * The in-memory copy of the sessions in {@link SqliteChatStores} on a real database file: what it
 * loads is what is committed, also after a transaction that stepped a session rolled back (as the
 * inbox's group commit does when a frame of the batch fails).
 */
class SqliteSessionCacheTest {

    @TempDir
    Path dir;

    @Test
    void aSessionStepRolledBackIsNotWhatTheStoreLoadsAfterwards() throws Exception {
        try (StorageKey key = StorageKey.generate(); NodeDatabase database = NodeDatabase.open(dir.resolve("parley.db"))) {
            ColumnCipher cipher = new ColumnCipher(key);
            LocalIdentity local = newIdentity(database, cipher);
            SqliteChatStores aliceStores = SqliteChatStores.open(database, cipher, local);
            SessionManager alice = new SessionManager(aliceStores);
            SessionManager bob = peerWithPrekeys();
            UserId bobId = bob.self();
            alice.startSession(bobId, bob.prekeyService(Clock.systemUTC()).nextBundle());
            ChatAddress toBob = new ChatAddress(bobId, 1);
            bob.decrypt(alice.encrypt(toBob, envelope()));
            ChatFrame reply = bob.encrypt(new ChatAddress(alice.self(), 1), envelope());
            alice.decrypt(reply);
            byte[] committed = aliceStores.loadSession(toBob.toSignal()).serialize();

            assertThatThrownBy(() -> database.transaction(c -> {
                try {
                    alice.encrypt(toBob, envelope());
                } catch (org.parley.chat.session.ChatCryptoException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("a later frame of the batch failed");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(aliceStores.loadSession(toBob.toSignal()).serialize())
                    .as("the step that rolled back is not kept in memory").isEqualTo(committed);
            SqliteChatStores fromDisk = SqliteChatStores.open(database, cipher, local);
            assertThat(fromDisk.loadSession(toBob.toSignal()).serialize()).isEqualTo(committed);

            ChatEnvelope after = envelope();
            ChatFrame frame = alice.encrypt(toBob, after);
            assertThat(bob.decrypt(frame).id()).isEqualTo(after.id());
            assertThat(SqliteChatStores.open(database, cipher, local).loadSession(toBob.toSignal()).serialize())
                    .as("a committed step is written through to the row")
                    .isEqualTo(aliceStores.loadSession(toBob.toSignal()).serialize())
                    .isNotEqualTo(committed);
        }
    }

    @Test
    void aDeleteRolledBackLeavesTheSessionLoadable() throws Exception {
        try (StorageKey key = StorageKey.generate(); NodeDatabase database = NodeDatabase.open(dir.resolve("parley.db"))) {
            ColumnCipher cipher = new ColumnCipher(key);
            LocalIdentity local = newIdentity(database, cipher);
            SqliteChatStores stores = SqliteChatStores.open(database, cipher, local);
            SessionManager alice = new SessionManager(stores);
            SessionManager bob = peerWithPrekeys();
            ChatAddress toBob = alice.startSession(bob.self(), bob.prekeyService(Clock.systemUTC()).nextBundle());

            assertThatThrownBy(() -> database.transaction(c -> {
                stores.deleteSession(toBob.toSignal());
                assertThat(stores.containsSession(toBob.toSignal())).as("gone inside the transaction").isFalse();
                throw new IllegalStateException("rolled back");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(stores.containsSession(toBob.toSignal())).isTrue();
            assertThat(alice.hasSession(toBob)).isTrue();
            stores.deleteSession(toBob.toSignal());
            assertThat(stores.containsSession(toBob.toSignal())).isFalse();
            assertThat(SqliteChatStores.open(database, cipher, local).containsSession(toBob.toSignal())).isFalse();
        }
    }

    private static ChatEnvelope envelope() {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(System.currentTimeMillis(), 0),
                new ConversationId(new byte[ConversationId.BYTES]), new ChatContent.Text("hello"));
    }

    /** A new local identity, device 1, in {@code database}. */
    private static LocalIdentity newIdentity(NodeDatabase database, ColumnCipher cipher) throws Exception {
        return new LocalIdentities(database, cipher).create(IdentityKeyPair.generate(), 1, Optional.empty(),
                Instant.now());
    }

    /** A peer in memory whose prekeys are ready to start a session with. */
    private static SessionManager peerWithPrekeys() throws Exception {
        SessionManager peer = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 2, 1));
        peer.prekeyService(Clock.systemUTC()).maintain();
        return peer;
    }
}
