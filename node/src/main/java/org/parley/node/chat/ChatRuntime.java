package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactStore;
import org.parley.node.events.EventBus;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.DeferredWrites;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * What the chat parts of one node share: the identities and each one's sessions and prekeys, the
 * contact and message stores, the hybrid logical clock, the event bus. Thread safe.
 */
final class ChatRuntime {

    final IdentityService identities;
    /** Read and written only through {@link #contact}, {@link #contacts}, {@link #put} and {@link #deleteContact}, which keep the cache. */
    private final ContactStore contacts;
    /**
     * Every identity's contacts by user ID, loaded on first use and kept in step by {@link #put}
     * and {@link #deleteContact}: each frame, send and outbox round looks contacts up, and reading
     * one from the database costs a query, an ID checksum and a parse of its address hints.
     *
     * <p>Loaded and written under the database's lock, inside the transaction that writes the row
     * (undone if it rolls back); read without it. Read under it, every send queued for that lock
     * behind the commits of others only to look its contact up: 3 ms a send on average in a flood
     * of 5,000 from 16 senders. A reader may see a write whose transaction has not committed yet;
     * whatever it then stores waits for that same lock, so it lands behind that commit (or the
     * undo).
     */
    private final Map<Long, Map<UserId, Contact>> contactCache = new ConcurrentHashMap<>();
    final MessageStore messages;
    final EventBus events;
    final InstantSource clock;
    final Hlc hlc;
    /** Where each kept message is told to history sync, and siblings' messages come in. */
    final ChatHistory history;
    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final Map<Long, IdentityChat> chats = new ConcurrentHashMap<>();
    /** Small chat state that has no table of its own: the consent a block replaced. */
    final KeyValueStore settings;
    /** Told of every contact row written and deleted. */
    private final ContactProtection protection;

    ChatRuntime(IdentityService identities, NodeDatabase database, ColumnCipher cipher, KeyValueStore settings,
            EventBus events, InstantSource clock, ContactProtection protection) {
        this.identities = identities;
        this.settings = settings;
        this.protection = protection;
        this.database = database;
        this.cipher = cipher;
        this.contacts = new ContactStore(database, cipher);
        this.messages = new MessageStore(database, cipher);
        this.events = events;
        this.clock = clock;
        this.hlc = new Hlc(clock);
        this.history = new ChatHistory(this, new HistoryOutbox(database), new GroupStore(database, cipher));
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
        return Optional.ofNullable(loadedContacts(identity).get(user));
    }

    /** Every contact of {@code identity}, oldest first (as {@link ContactStore#all}). */
    List<Contact> contacts(long identity) {
        List<Contact> out = new ArrayList<>(loadedContacts(identity).values());
        out.sort(Comparator.comparing(Contact::createdAt).thenComparing(c -> c.userId().text()));
        return out;
    }

    /** The cache of {@code identity}'s contacts, loaded under the database's lock on first use. */
    private Map<UserId, Contact> loadedContacts(long identity) {
        Map<UserId, Contact> cached = contactCache.get(identity);
        return cached != null ? cached : underDatabaseLock(() -> cachedContacts(identity));
    }

    /**
     * Writes a contact row. A change of consent or name (what the user's other devices show too)
     * is stamped on the {@link ContactClock} and recorded for the history journal in the same
     * transaction; a device or key detail is not.
     */
    void put(Contact contact) {
        put(contact, Optional.empty(), true, Optional.empty());
    }

    /**
     * Writes a contact row as another device of this user journaled it at {@code time}, unless this
     * device changed that contact later ({@link ContactClock#newer}); nothing is recorded again.
     * {@code request} is the last contact request that device knew from the contact.
     *
     * @return whether it was written
     */
    boolean putImported(Contact contact, Optional<HlcTimestamp> time, Optional<MessageId> request) {
        return put(contact, time, false, request);
    }

    private boolean put(Contact contact, Optional<HlcTimestamp> importedAt, boolean journal,
            Optional<MessageId> request) {
        time(importedAt);
        boolean written;
        try {
            written = database.transaction(c -> {
                long identity = contact.identityRow();
                if (!journal && !ContactClock.takesEffect(importedAt, ContactClock.get(c, identity, contact.userId()),
                        ContactClock.Outcome.of(contact), current(identity, contact.userId()))) {
                    return false;
                }
                Contact before = writeRow(contact);
                boolean consentOrName = before == null || before.state() != contact.state()
                        || !before.name().equals(contact.name());
                if (journal && consentOrName) {
                    ContactClock.set(c, identity, contact.userId(), decisionTime(c, identity, contact.userId()), false);
                    HistoryOutbox.recordContact(c, identity, contact.userId());
                } else if (importedAt.isPresent()) {
                    ContactClock.set(c, identity, contact.userId(), importedAt.get(), false, request);
                }
                return true;
            });
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        if (journal) {
            history.recorded();
        }
        if (written) {
            protection.accept(contact);
        }
        return written;
    }

    /** What this device shows of {@code user} now: its contact's state and name, or none. Under the database's lock. */
    private ContactClock.Outcome current(long identity, UserId user) {
        return ContactClock.Outcome.of(cachedContacts(identity).get(user));
    }

    /** Writes the contact's row and its cached copy, inside the caller's transaction; returns the copy it replaced, if any. */
    private Contact writeRow(Contact contact) {
        try {
            contacts.put(contact);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        return cache(contact.identityRow(), contact.userId(), contact);
    }

    /**
     * Sets the cached contact of {@code user} ({@code contact}, or none if null) inside the caller's
     * transaction, set back if it rolls back; returns the one it replaced, if any.
     */
    private Contact cache(long identity, UserId user, Contact contact) {
        Map<UserId, Contact> cached = cachedContacts(identity);
        Contact before = setEntry(cached, user, contact);
        database.onRollback(() -> setEntry(cached, user, before));
        return before;
    }

    private static Contact setEntry(Map<UserId, Contact> cached, UserId user, Contact contact) {
        return contact == null ? cached.remove(user) : cached.put(user, contact);
    }

    /**
     * Keeps the reading of a change another device journaled that this device already shows (the
     * same state and name), if it is newer than this device's: an older change arriving later must
     * lose to it here too.
     */
    void keepImportedTime(long identity, UserId user, Optional<HlcTimestamp> time) throws StorageException {
        if (time.isEmpty()) {
            return;
        }
        time(time);
        database.transaction(c -> {
            if (ContactClock.newer(time, ContactClock.get(c, identity, user))) {
                ContactClock.set(c, identity, user, time.get(), false);
            }
            return null;
        });
    }

    /** Forgets {@code user} under {@code identity}; the removal is stamped and recorded for the history journal. */
    void deleteContact(long identity, UserId user) throws StorageException {
        deleteContact(identity, user, Optional.empty(), true, Optional.empty());
    }

    /**
     * Forgets {@code user} under {@code identity}, as another device of this user journaled at
     * {@code time}, unless this device changed that contact later. The removal's reading is kept
     * even when this device never had the contact, so an older change arriving later cannot add it,
     * and so is {@code request}, the last contact request that device knew from them: a late copy
     * of it reaching this device is dropped.
     *
     * @return whether a contact was forgotten
     */
    boolean deleteImportedContact(long identity, UserId user, Optional<HlcTimestamp> time,
            Optional<MessageId> request) throws StorageException {
        return deleteContact(identity, user, time, false, request);
    }

    private boolean deleteContact(long identity, UserId user, Optional<HlcTimestamp> importedAt, boolean journal,
            Optional<MessageId> request) throws StorageException {
        time(importedAt);
        Contact removed = database.transaction(c -> {
            if (!journal && !ContactClock.takesEffect(importedAt, ContactClock.get(c, identity, user),
                    ContactClock.Outcome.removal(), current(identity, user))) {
                return null;
            }
            boolean deleted;
            try {
                deleted = contacts.delete(identity, user);
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            }
            Contact cached = cache(identity, user, null);
            if (deleted && journal) {
                ContactClock.set(c, identity, user, decisionTime(c, identity, user), true);
                HistoryOutbox.recordContact(c, identity, user);
            } else if (importedAt.isPresent()) {
                ContactClock.set(c, identity, user, importedAt.get(), true, request);
            }
            return cached;
        });
        if (removed != null) {
            protection.removed(removed);
        }
        if (journal) {
            history.recorded();
        }
        return removed != null;
    }

    /**
     * Keeps a contact request from a sender this identity has no contact row for, as pending,
     * stamped with the time the sender made the request: every device of this user that receives
     * the same request then stamps it alike, and a decision about it on any of them (made later)
     * wins over it. A request that is not newer than this device's last change of that contact (its
     * removal: the sender asks again after being removed or unblocked, with a clock running behind)
     * is stamped just after that change instead, so it shows on every device as a request would
     * before. A request timed further ahead of this device's clock than {@link Hlc#MAX_SKEW_MILLIS}
     * is stamped with this device's time, so a sender's wrong clock does not set the contact's.
     * The request's envelope id is kept with the reading; a copy of a request whose sender this
     * user removed after it (on this device or another) is dropped: the user dealt with it.
     *
     * @return whether the request was kept; false for such a copy
     */
    boolean putRequest(Contact pending, HlcTimestamp sentAt, MessageId request) {
        HlcTimestamp requested = sentAt.physicalMillis() > clock.millis() + Hlc.MAX_SKEW_MILLIS ? hlc.now() : sentAt;
        boolean kept;
        try {
            kept = database.transaction(c -> {
                long identity = pending.identityRow();
                Optional<ContactClock.Reading> reading = ContactClock.read(c, identity, pending.userId());
                if (reading.filter(r -> r.removedAfter(request)).isPresent()) {
                    return false;
                }
                Optional<HlcTimestamp> here = reading.map(ContactClock.Reading::time);
                HlcTimestamp stamp = ContactClock.newer(Optional.of(requested), here) ? requested
                        : hlc.nowAfter(here);
                writeRow(pending);
                ContactClock.set(c, identity, pending.userId(), stamp, false, Optional.of(request));
                HistoryOutbox.recordContact(c, identity, pending.userId());
                return true;
            });
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        if (kept) {
            history.recorded();
            protection.accept(pending);
        }
        return kept;
    }

    /**
     * The time of a change the user makes here: later than this device's clock and than the
     * contact's last change, even one stamped by a clock running ahead (a request's sender), so
     * that the decision wins over what it decides about on every device.
     */
    private HlcTimestamp decisionTime(java.sql.Connection c, long identity, UserId user) throws java.sql.SQLException {
        return hlc.nowAfter(ContactClock.get(c, identity, user));
    }

    /** An imported reading moves this device's clock, so that its own later changes order after it. */
    private void time(Optional<HlcTimestamp> importedAt) {
        importedAt.ifPresent(hlc::observe);
    }

    /**
     * The last change of {@code user}'s consent or name under {@code identity} and the last request
     * known from them, if a change was stamped.
     */
    Optional<ContactClock.Reading> contactReading(long identity, UserId user) throws StorageException {
        return database.read(c -> ContactClock.read(c, identity, user));
    }

    /**
     * Runs {@code work} on the contact cache under the database's own lock: the cache and the rows
     * change together, and a frame's transaction (which holds that lock) loads the cache without
     * a second lock that another thread could hold while it waits for the database.
     */
    private <T> T underDatabaseLock(java.util.function.Supplier<T> work) {
        try {
            return database.read(c -> work.get());
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cache of {@code identity}'s contacts, loaded if needed; the caller holds the database's lock. */
    private Map<UserId, Contact> cachedContacts(long identity) {
        Map<UserId, Contact> cached = contactCache.get(identity);
        if (cached == null) {
            cached = new ConcurrentHashMap<>();
            try {
                for (Contact c : contacts.all(identity)) {
                    cached.put(c.userId(), c);
                }
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            }
            contactCache.put(identity, cached);
        }
        return cached;
    }

    /** Hands every stored contact of every identity to {@code sink}, for state rebuilt at start. */
    void forEachContact(Consumer<Contact> sink) {
        for (LocalIdentity identity : identities.all()) {
            contacts(identity.rowId()).forEach(sink);
        }
    }

    /** Runs {@code work} in one database transaction; the stores' own transactions inside it join it. */
    <T> T transaction(org.parley.node.storage.SqlWork<T> work) throws StorageException {
        return database.transaction(work);
    }

    /** Holds this thread's store writes back for one transaction ({@link DeferredWrites}). */
    DeferredWrites deferWrites() {
        return database.deferWrites();
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
