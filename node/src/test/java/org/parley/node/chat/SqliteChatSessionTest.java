package org.parley.node.chat;

import org.junit.jupiter.api.AfterEach;
import org.parley.chat.session.ChatSessionContract;
import org.parley.chat.session.ChatStoresFactory;

/**
 * Sessions over {@link SqliteChatStores} on real database files against the chat module's session
 * contract: delivery out of order and with loss, replay and tampering rejected, a copy of the
 * database taken before a ratchet step opening nothing later, recovery after a compromise.
 */
class SqliteChatSessionTest extends ChatSessionContract {

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
