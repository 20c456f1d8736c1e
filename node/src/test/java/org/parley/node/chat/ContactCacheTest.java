package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.parley.node.ParleyNode;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;

/**
 * The node's cache of contacts on a whole node with its database: it is read without waiting for
 * the database (a send looks its contact up there while others commit), and a contact written or
 * removed in a transaction that rolls back shows as it was before.
 */
class ContactCacheTest {

    @TempDir
    Path root;

    private final DeviceNodes nodes = new DeviceNodes();
    private ParleyNode alice;
    private ChatRuntime runtime;
    private long identity;
    private UserId carol;

    @BeforeEach
    void start() throws Exception {
        nodes.startServer(root.resolve("server"));
        alice = nodes.start(root.resolve("a1"));
        runtime = nodes.chatRuntime(alice);
        identity = runtime.identities.all().getFirst().rowId();
        byte[] key = new byte[UserId.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        carol = UserId.fromPublicKeyBytes(key);
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void contactsAreReadWhileAnotherTransactionHoldsTheDatabase() throws Exception {
        runtime.put(carol(ContactState.ACCEPTED, "Carol"));

        try (DatabaseHold held = new DatabaseHold(alice)) {
            // Before, each lookup waited for the database's lock: this one would wait until the hold ends.
            CompletableFuture<List<Contact>> read = CompletableFuture.supplyAsync(() -> runtime.contacts(identity));
            assertThat(read.get(ChatNodes.WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(Contact::userId)
                    .containsExactly(carol);
            assertThat(runtime.contact(identity, carol)).map(Contact::state).contains(ContactState.ACCEPTED);
        }
    }

    @Test
    void aContactChangeThatRollsBackLeavesTheCacheAsItWas() throws Exception {
        runtime.put(carol(ContactState.ACCEPTED, "Carol"));

        assertThatThrownBy(() -> runtime.transaction(c -> {
            runtime.put(carol(ContactState.BLOCKED, "Carol B."));
            assertThat(runtime.contact(identity, carol)).as("inside the transaction").map(Contact::state)
                    .contains(ContactState.BLOCKED);
            throw new IllegalStateException("a later step of the same transaction fails");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(runtime.contact(identity, carol)).map(c -> c.state() + " " + c.name().orElseThrow())
                .contains("ACCEPTED Carol");
    }

    @Test
    void aNewContactOrARemovalThatRollsBackLeavesTheCacheAsItWas() throws Exception {
        UserId dave = UserId.fromPublicKeyBytes(new SecureRandom().generateSeed(UserId.KEY_BYTES));
        runtime.put(carol(ContactState.ACCEPTED, "Carol"));

        assertThatThrownBy(() -> runtime.transaction(c -> {
            try {
                runtime.deleteContact(identity, carol);
            } catch (org.parley.node.storage.StorageException e) {
                throw new AssertionError(e);
            }
            runtime.put(contact(dave, ContactState.ACCEPTED, "Dave"));
            throw new IllegalStateException("a later step of the same transaction fails");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(runtime.contacts(identity)).extracting(Contact::userId).containsExactly(carol);
        assertThat(runtime.contact(identity, dave)).isEmpty();
    }

    private Contact carol(ContactState state, String name) {
        return contact(carol, state, name);
    }

    private Contact contact(UserId user, ContactState state, String name) {
        Instant now = Instant.now();
        UserId self = runtime.identities.all().getFirst().userId();
        return new Contact(identity, user, Optional.of(name), Optional.empty(), state, Optional.empty(), false, false,
                List.of(), Optional.empty(), OptionalInt.empty(), ChatRuntime.conversation(self, user), now, now);
    }
}
