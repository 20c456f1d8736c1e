package org.parley.node.chat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.storage.NodeStorage;
import org.parley.node.storage.PassphraseSource;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * What the chat's store tests stand on: a real node database file in {@code dir}, with one local
 * identity ({@link #identity}, its row id) and a {@link MessageStore} on it. Close it to close the
 * database.
 */
final class StoreFixture implements AutoCloseable {

    final NodeStorage storage;
    final long identity;
    final MessageStore messages;

    private StoreFixture(NodeStorage storage, long identity) {
        this.storage = storage;
        this.identity = identity;
        this.messages = new MessageStore(storage.database(), storage.cipher());
    }

    static StoreFixture open(Path dir) throws Exception {
        NodeStorage storage = NodeStorage.open(dir.resolve("storage.key"), dir.resolve("parley.db"),
                PassphraseSource.of(null));
        try {
            long identity = new LocalIdentities(storage.database(), storage.cipher())
                    .create(IdentityKeyPair.generate(), 1, Optional.empty(), Instant.EPOCH).rowId();
            return new StoreFixture(storage, identity);
        } catch (Exception | Error e) {
            storage.close();
            throw e;
        }
    }

    /** A text envelope with a new id, timed at {@code millis} and {@code counter}. */
    static ChatEnvelope text(long millis, int counter) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(millis, counter), ConversationId.random(),
                new ChatContent.Text("t"));
    }

    @Override
    public void close() throws Exception {
        storage.close();
    }
}
