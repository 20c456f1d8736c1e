package org.parley.node.chat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.identity.UserId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** A {@link MessageStore} on a real database file of its own per test, with one identity and a contact, bob. */
abstract class MessageStoreTestBase {

    @TempDir
    Path dir;

    final UserId bob = UserId.of(IdentityKeyPair.generate().getPublicKey());
    StoreFixture fixture;
    MessageStore store;
    long identity;

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
}
