package org.parley.chat.session;

/** The session promises through {@link InMemoryChatStores}. */
class InMemoryChatSessionTest extends ChatSessionContract {

    @Override
    protected ChatStoresFactory factory() {
        return InMemoryChatStoresTest.FACTORY;
    }
}
