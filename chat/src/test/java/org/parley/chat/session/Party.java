package org.parley.chat.session;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** One user's device in a test: its stores, session manager and prekey service. Not thread safe. */
final class Party {

    static final ConversationId CONVERSATION = new ConversationId(new byte[16]);
    private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    final ChatStoresFactory factory;
    final ChatStores stores;
    final SessionManager sessions;
    final PrekeyService prekeys;

    Party(ChatStoresFactory factory, ChatStores stores, Clock clock) {
        this.factory = factory;
        this.stores = stores;
        this.sessions = new SessionManager(stores);
        this.prekeys = sessions.prekeyService(clock);
    }

    static Party create(ChatStoresFactory factory, int device) throws Exception {
        return new Party(factory, factory.create(IdentityKeyPair.generate(), 1000 + device, device), Clock.systemUTC());
    }

    UserId id() {
        return sessions.self();
    }

    ChatAddress address() {
        return new ChatAddress(id(), stores.localDeviceId());
    }

    /** A party with a copy of this one's state: what someone who copied the data dir would hold. */
    Party copy() throws Exception {
        return new Party(factory, factory.snapshot(stores), Clock.systemUTC());
    }

    /** Starts a session with {@code other} from a freshly served bundle. */
    void startSessionWith(Party other) throws ChatCryptoException {
        sessions.startSession(other.id(), other.prekeys.nextBundle());
    }

    static ChatEnvelope text(String text) {
        return new ChatEnvelope(MessageId.next(), new HlcTimestamp(CLOCK.incrementAndGet(), 0), CONVERSATION,
                new ChatContent.Text(text));
    }

    static String textOf(ChatEnvelope envelope) {
        return ((ChatContent.Text) envelope.content()).text();
    }
}
