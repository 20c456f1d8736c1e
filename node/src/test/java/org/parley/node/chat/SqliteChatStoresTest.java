package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatStores;
import org.parley.chat.session.ChatStoresContract;
import org.parley.chat.session.ChatStoresFactory;
import org.parley.node.storage.DeferredWrites;
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

    /** Starts {@code read} on a thread of its own, completing {@code result} with what it returns or throws. */
    private static void readOnAnotherThread(CompletableFuture<Boolean> result, Callable<Boolean> read) {
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(read.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
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
            readOnAnotherThread(readerSawTheSession, () -> database.read(c -> stores.containsSession(bob)));
            Thread.sleep(200);
            assertThat(readerSawTheSession).as("a read while the call runs").isNotDone();
            stores.storeSession(bob, new SessionRecord());
            return null;
        });

        assertThat(readerSawTheSession.get(10, TimeUnit.SECONDS)).as("the read after the call's commit").isTrue();
    }

    @Test
    void aSessionStepComputesWithoutTheDatabaseAndCommitsItsWritesOnceItReturns() throws Exception {
        ChatStores stores = newStores();
        SignalProtocolAddress bob = someDevice();

        stores.sessionStep(bob, () -> {
            stores.storeSession(bob, new SessionRecord());
            // Not inside a transaction: another thread's read goes ahead while the call runs.
            CompletableFuture<Boolean> read = new CompletableFuture<>();
            readOnAnotherThread(read, () -> factory.snapshot(stores).containsSession(bob));
            assertThat(read.get(10, TimeUnit.SECONDS)).as("the row while the call runs").isFalse();
            assertThat(stores.containsSession(bob)).as("the cache while the call runs").isTrue();
            return null;
        });

        assertThat(factory.snapshot(stores).containsSession(bob)).as("the row after the call").isTrue();
    }

    @Test
    void aSessionStepThatThrowsKeepsNoneOfItsWrites() throws Exception {
        ChatStores stores = newStores();
        SignalProtocolAddress bob = someDevice();

        assertThatThrownBy(() -> stores.sessionStep(bob, () -> {
            stores.storeSession(bob, new SessionRecord());
            throw new NoSessionException("the call failed after storing");
        })).isInstanceOf(NoSessionException.class);

        assertThat(stores.containsSession(bob)).as("the session cache").isFalse();
        assertThat(factory.snapshot(stores).containsSession(bob)).as("the rows").isFalse();
    }

    @Test
    void sessionStepsInsideADeferralWaitForItsCommitAndAreUndoneWithoutIt() throws Exception {
        ChatStores stores = newStores();
        NodeDatabase database = factory.database(stores);
        SignalProtocolAddress bob = someDevice();
        SignalProtocolAddress carol = someDevice();

        try (DeferredWrites batch = database.deferWrites()) {
            stores.sessionStep(bob, () -> {
                stores.storeSession(bob, new SessionRecord());
                return null;
            });
            assertThat(factory.snapshot(stores).containsSession(bob)).as("held for the batch's commit").isFalse();
            batch.commit(c -> null);
        }
        assertThat(factory.snapshot(stores).containsSession(bob)).isTrue();

        try (DeferredWrites batch = database.deferWrites()) {
            stores.sessionStep(carol, () -> {
                stores.storeSession(carol, new SessionRecord());
                return null;
            });
            assertThat(stores.containsSession(carol)).as("seen by the batch's later frames").isTrue();
            // The batch fails before its commit: the frames will come again.
        }
        assertThat(stores.containsSession(carol)).as("the cache after the failed batch").isFalse();
        assertThat(factory.snapshot(stores).containsSession(carol)).isFalse();
    }
}
