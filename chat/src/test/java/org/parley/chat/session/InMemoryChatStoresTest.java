package org.parley.chat.session;

import org.signal.libsignal.protocol.IdentityKeyPair;

/** {@link InMemoryChatStores} against the stores contract. */
class InMemoryChatStoresTest extends ChatStoresContract {

    static final ChatStoresFactory FACTORY = new ChatStoresFactory() {
        @Override
        public ChatStores create(IdentityKeyPair identity, int registrationId, int deviceId) {
            return new InMemoryChatStores(identity, registrationId, deviceId);
        }

        @Override
        public ChatStores snapshot(ChatStores stores) {
            return ((InMemoryChatStores) stores).snapshot();
        }
    };

    @Override
    protected ChatStoresFactory factory() {
        return FACTORY;
    }
}
