package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatStores;
import org.parley.chat.session.ChatStoresContract;
import org.parley.chat.session.ChatStoresFactory;
import org.parley.node.storage.NodeDatabase;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;

/**
 * {@link SqliteChatStores} on real database files against the chat module's stores contract, and
 * what the database adds to it: a libsignal call runs as one transaction, entered before the call,
 * that keeps none of its writes if the call throws.
 */
class SqliteChatStoresTest extends ChatStoresContract {

    private final DatabaseChatStores factory = new DatabaseChatStores();

    @Override
    protected ChatStoresFactory factory() {
        return factory;
    }

    @AfterEach
    void closeDatabases() throws Exception {
        factory.close();
    }

    private ChatStores newStores() throws Exception {
        return factory.create(IdentityKeyPair.generate(), 5, 1);
    }

    private static SignalProtocolAddress someDevice() {
        return new SignalProtocolAddress(UserId.of(IdentityKeyPair.generate().getPublicKey()).text(), 1);
    }

    @Test
    void aLibsignalCallThatThrowsKeepsNoneOfItsWrites() throws Exception {
        ChatStores stores = newStores();
        SignalProtocolAddress bob = someDevice();

        assertThatThrownBy(() -> stores.atomically(() -> {
            stores.storeSession(bob, new SessionRecord());
            throw new NoSessionException("the call failed after storing");
        })).isInstanceOf(NoSessionException.class).hasMessage("the call failed after storing");

        assertThat(stores.containsSession(bob)).as("the session cache").isFalse();
        assertThat(factory.snapshot(stores).containsSession(bob)).as("the rows").isFalse();
    }

    @Test
    void aLibsignalCallHoldsTheDatabaseFromItsStart() throws Exception {
        ChatStores stores = newStores();
        NodeDatabase database = factory.database(stores);
        SignalProtocolAddress bob = someDevice();
        CompletableFuture<Boolean> readerSawTheSession = new CompletableFuture<>();

        stores.atomically(() -> {
            // Entered before the call: another thread's read waits for the whole call.
            Thread.ofVirtual().start(() -> {
                try {
                    readerSawTheSession.complete(database.read(c -> stores.containsSession(bob)));
                } catch (Exception e) {
                    readerSawTheSession.completeExceptionally(e);
                }
            });
            Thread.sleep(200);
            assertThat(readerSawTheSession).as("a read while the call runs").isNotDone();
            stores.storeSession(bob, new SessionRecord());
            return null;
        });

        assertThat(readerSawTheSession.get(10, TimeUnit.SECONDS)).as("the read after the call's commit").isTrue();
    }
}
