package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ConversationId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactStore;
import org.parley.node.events.EventBus;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * What the chat parts of one node share: the identities and each one's sessions and prekeys, the
 * contact and message stores, the hybrid logical clock, the event bus. Thread safe.
 */
final class ChatRuntime {

    final IdentityService identities;
    final ContactStore contacts;
    final MessageStore messages;
    final EventBus events;
    final InstantSource clock;
    final Hlc hlc;
    /** Where each kept message is told to history sync, and siblings' messages come in. */
    final ChatHistory history;
    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final Map<Long, IdentityChat> chats = new ConcurrentHashMap<>();
    /** Told of every contact row written, as {@link ContactProtection} needs. */
    private final Consumer<Contact> written;

    ChatRuntime(IdentityService identities, NodeDatabase database, ColumnCipher cipher, EventBus events,
            InstantSource clock, Consumer<Contact> written) {
        this.identities = identities;
        this.written = written;
        this.database = database;
        this.cipher = cipher;
        this.contacts = new ContactStore(database, cipher);
        this.messages = new MessageStore(database, cipher);
        this.events = events;
        this.clock = clock;
        this.hlc = new Hlc(clock);
        this.history = new ChatHistory(this);
    }

    /** The sessions and prekeys of {@code identity}, opened on first use. */
    IdentityChat chat(LocalIdentity identity) {
        return chats.computeIfAbsent(identity.rowId(), row -> {
            SessionManager sessions = new SessionManager(SqliteChatStores.open(database, cipher, identity));
            return new IdentityChat(identity, sessions, sessions.prekeyService(clock.withZone(java.time.ZoneOffset.UTC)));
        });
    }

    /** The contact row of {@code user} under {@code identity}, if any. */
    Optional<Contact> contact(long identity, UserId user) {
        try {
            return contacts.get(identity, user);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    void put(Contact contact) {
        try {
            contacts.put(contact);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        written.accept(contact);
    }

    /** Hands every stored contact of every identity to {@code sink}, for state rebuilt at start. */
    void forEachContact(Consumer<Contact> sink) {
        try {
            for (LocalIdentity identity : identities.all()) {
                contacts.all(identity.rowId()).forEach(sink);
            }
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    void publish(NodeEvent event) {
        events.publish(event);
    }

    /**
     * The id of the pairwise conversation of two users: the same on both sides, derived from both
     * IDs in a fixed order.
     */
    static ConversationId conversation(UserId a, UserId b) {
        String first = a.text().compareTo(b.text()) <= 0 ? a.text() : b.text();
        String second = first.equals(a.text()) ? b.text() : a.text();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("parley/conversation/v1".getBytes(StandardCharsets.US_ASCII));
            sha.update(first.getBytes(StandardCharsets.US_ASCII));
            sha.update(second.getBytes(StandardCharsets.US_ASCII));
            return new ConversationId(Arrays.copyOf(sha.digest(), ConversationId.BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
