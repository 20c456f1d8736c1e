package org.parley.node.chat;

import org.junit.jupiter.api.AfterEach;
import org.parley.chat.session.ChatStoresContract;
import org.parley.chat.session.ChatStoresFactory;

/** {@link SqliteChatStores} on real database files against the chat module's stores contract. */
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
}
