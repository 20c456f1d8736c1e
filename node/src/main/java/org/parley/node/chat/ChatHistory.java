package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat's side of the history this user's devices share: hands a listener (history sync) every
 * one-to-one message this device keeps (text or file offer) and every move of a message to
 * delivered or read, and takes in the messages and states another device of the user journaled,
 * once each (by message id).
 *
 * <p>Transactional outbox: the message store records each change in {@link HistoryOutbox} in
 * the transaction that makes it; this class's writer thread hands the recorded changes to the
 * listener oldest first, each with the deletion of its row, which the listener runs in the
 * transaction of the journal entry it appends. A crash before the entry leaves the row, which the
 * writer hands over when the listener is set at the next start; a crash after leaves neither.
 * Thread safe.
 */
public final class ChatHistory {

    private static final Logger log = LoggerFactory.getLogger(ChatHistory.class);

    /** Waiting changes read from the database at a time: bounds the writer's memory. */
    static final int WRITE_BATCH = 256;
    /** How long a stop waits for a hand-over under way: one batch's appends, with room for a busy disk. */
    static final long WRITER_STOP_MILLIS = 5_000;

    /**
     * How long the writer lets changes gather after a wake before it writes them. A message's
     * sent and delivered states usually follow it within this time, and a change read as the
     * message is now then carries them: one signed entry and one commit instead of three.
     */
    static final long GATHER_MILLIS = 100;

    /** How long the writer waits before trying again after the listener failed (the database was busy, say). */
    static final long RETRY_MILLIS = 5_000;
    /** Times one change may fail before it is dropped (and logged), so it cannot stall every later one. */
    static final int MAX_ATTEMPTS = 5;

    /** A change this device made that the other devices take over. */
    public sealed interface Change permits KeptMessage, StateChange, ContactChange, KeptGroupMessage {
        UserId identity();

        UserId contact();
    }

    /**
     * One message a device kept, as its siblings take it over: a text, or a file offer with
     * {@code fileLink} (its text is the file's name). Never logged: no text in {@link #toString()}.
     */
    public record KeptMessage(UserId identity, UserId contact, MessageId id, ConversationId conversation,
            HlcTimestamp time, boolean outgoing, String text, MessageState state, Optional<String> fileLink)
            implements Change {
        public KeptMessage {
            if (fileLink == null) {
                throw new IllegalArgumentException("fileLink is empty for a text, never null");
            }
        }

        /** A text message. */
        public KeptMessage(UserId identity, UserId contact, MessageId id, ConversationId conversation,
                HlcTimestamp time, boolean outgoing, String text, MessageState state) {
            this(identity, contact, id, conversation, time, outgoing, text, state, Optional.empty());
        }

        @Override
        public String toString() {
            return "KeptMessage[id=" + id + ", outgoing=" + outgoing + ", state=" + state + ", file="
                    + fileLink.isPresent() + "]";
        }
    }

    /** A message of {@code identity} with {@code contact} moved to {@code state} (delivered or read). */
    public record StateChange(UserId identity, UserId contact, MessageId id, MessageState state) implements Change {}

    /**
     * The contact {@code contact} of {@code identity} as it is after a change of consent or name:
     * its state, local name, display name and (while pending) intro; or {@code removed}; when that
     * last change was made ({@link ContactClock}; empty from a device that kept no reading); and the
     * envelope id of the last contact request known from them, if one is (a late copy of it is
     * dropped after a removal). Never logged with its names: {@link #toString()} leaves them out.
     */
    public record ContactChange(UserId identity, UserId contact, boolean removed, ContactState state,
            Optional<String> name, Optional<String> displayName, Optional<String> intro,
            Optional<HlcTimestamp> changedAt, Optional<MessageId> request) implements Change {
        public ContactChange {
            java.util.Objects.requireNonNull(state, "state");
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(displayName, "displayName");
            java.util.Objects.requireNonNull(intro, "intro");
            java.util.Objects.requireNonNull(changedAt, "changedAt");
            java.util.Objects.requireNonNull(request, "request");
        }

        /** A change that names no request. */
        public ContactChange(UserId identity, UserId contact, boolean removed, ContactState state,
                Optional<String> name, Optional<String> displayName, Optional<String> intro,
                Optional<HlcTimestamp> changedAt) {
            this(identity, contact, removed, state, name, displayName, intro, changedAt, Optional.empty());
        }

        @Override
        public String toString() {
            return "ContactChange[contact=" + contact + ", removed=" + removed + ", state=" + state + ", changedAt="
                    + changedAt.map(HlcTimestamp::toString).orElse("-") + "]";
        }
    }

    /**
     * One group message a device kept, sent by {@code sender} (this user for an outgoing one), as
     * its siblings take it over. {@link #contact()} is the sender. Never logged: no text in
     * {@link #toString()}.
     */
    public record KeptGroupMessage(UserId identity, ConversationId group, UserId sender, MessageId id,
            HlcTimestamp time, boolean outgoing, String text) implements Change {
        public KeptGroupMessage {
            java.util.Objects.requireNonNull(group, "group");
            java.util.Objects.requireNonNull(sender, "sender");
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(time, "time");
            java.util.Objects.requireNonNull(text, "text");
        }

        @Override
        public UserId contact() {
            return sender;
        }

        @Override
        public String toString() {
            return "KeptGroupMessage[group=" + group + ", id=" + id + ", outgoing=" + outgoing + "]";
        }
    }

    /** Told of the changes this device makes, in order, on the history's own writer thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Records {@code changes}, in order and all or none; must run {@code alongside} in the
         * transaction that records them (it drops them from the outbox), and throw if they were not
         * recorded.
         */
        void changed(List<Change> changes, Runnable alongside);
    }

    private final ChatRuntime runtime;
    private final HistoryOutbox outbox;
    private final GroupStore groups;
    /** A wake-up for the writer: one pending token is enough, since each round reads every waiting row. */
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private Listener listener;

    ChatHistory(ChatRuntime runtime, HistoryOutbox outbox, GroupStore groups) {
        this.runtime = runtime;
        this.outbox = outbox;
        this.groups = groups;
    }

    /**
     * Sets the one listener and starts the writer, which first hands over what was recorded
     * before (changes a crash or a stop left, or made before history sync started). Close what
     * this returns before the database closes: it stops the writer, letting a hand-over under way
     * end first (what it has not handed over stays recorded for the next start).
     */
    public synchronized AutoCloseable listen(Listener listener) {
        if (this.listener != null) {
            throw new IllegalStateException("the chat history has a listener already");
        }
        this.listener = listener;
        Thread writer = Thread.ofVirtual().name("chat-history-writer").start(() -> write(listener));
        return () -> {
            writer.interrupt();
            writer.join(WRITER_STOP_MILLIS);
        };
    }

    /**
     * Tells the writer that changes were recorded. Never blocks, so it may be called inside a
     * database transaction: the writer's read then waits for that transaction to end.
     */
    void recorded() {
        wake.offer(Boolean.TRUE);
    }

    /**
     * Journals this device's changes for its siblings, or stops, as {@code siblings} tells at the
     * moment this runs: on while the user has another current device, off while this one is
     * alone. Turning it on queues the whole history for the journal ({@link HistoryOutbox#journal}).
     * Calls are serialized and each reads {@code siblings} itself, so calls that overlap end in
     * the latest answer.
     *
     * @return whether journaling is on now
     */
    public synchronized boolean journalWhile(java.util.function.BooleanSupplier siblings) throws StorageException {
        boolean on = siblings.getAsBoolean();
        if (outbox.journal(on, runtime.clock.millis())) {
            log.info(on ? "another device of this user is linked: journaling the chat history for it"
                    : "no other device of this user: the chat history is no longer journaled");
        }
        // Rows queued before the switch (or by it) are written now, not at the next change.
        wake.offer(Boolean.TRUE);
        return on;
    }

    private void write(Listener listener) {
        Attempts attempts = new Attempts();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long pause = TimeUnit.DAYS.toMillis(1);
                Thread.sleep(GATHER_MILLIS);
                wake.clear();
                try {
                    handOver(listener, attempts);
                } catch (StorageException | RuntimeException e) {
                    // The rows stay; the next round tries them again.
                    log.warn("chat changes were not written to the history journal yet: {}", e.toString());
                    pause = RETRY_MILLIS;
                }
                wake.poll(pause, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts failures of the change at the head of the outbox. */
    private static final class Attempts {
        long rowId = -1;
        int count;
    }

    /**
     * Hands every waiting change over, a batch (up to {@link #WRITE_BATCH}) in one call, so a burst
     * costs the listener one transaction. A batch that fails is retried one change at a time,
     * which finds the change at fault and drops it after {@link #MAX_ATTEMPTS}.
     */
    private void handOver(Listener listener, Attempts attempts) throws StorageException {
        while (true) {
            List<HistoryOutbox.Row> rows = outbox.oldest(WRITE_BATCH);
            if (rows.isEmpty()) {
                return;
            }
            try {
                handOver(listener, rows);
                continue;
            } catch (StorageException | RuntimeException e) {
                if (rows.size() == 1) {
                    countFailure(attempts, rows.getFirst(), e);
                    continue;
                }
                log.debug("a batch of {} chat changes failed; handing them over one at a time: {}", rows.size(),
                        e.toString());
            }
            for (HistoryOutbox.Row row : rows) {
                try {
                    handOver(listener, List.of(row));
                } catch (StorageException | RuntimeException e) {
                    countFailure(attempts, row, e);
                }
            }
        }
    }

    /** Rethrows {@code e} for the writer to retry later, or drops the change once it failed too often. */
    private void countFailure(Attempts attempts, HistoryOutbox.Row row, Exception e) throws StorageException {
        attempts.count = attempts.rowId == row.rowId() ? attempts.count + 1 : 1;
        attempts.rowId = row.rowId();
        if (attempts.count < MAX_ATTEMPTS) {
            if (e instanceof StorageException s) {
                throw s;
            }
            throw (RuntimeException) e;
        }
        // The message itself is kept; only its copy for the other devices is lost.
        log.warn("chat change {} of message {} dropped from the history journal after {} attempts: {}",
                row.change(), row.messageId(), attempts.count, e.toString());
        outbox.delete(List.of(row.rowId()));
    }

    /** A one-to-one message of an identity, as the history outbox names it. */
    private record MessageKey(long identity, UserId contact, MessageId id) {}

    /**
     * Hands {@code rows} over in one call; rows whose message is gone are only dropped, and so is
     * a state row whose message this call already tells of: each change is read as the message is
     * now, so the earlier one carries that state already (a burst's sent message and its delivered
     * receipt then cost one journal entry, not two).
     */
    private void handOver(Listener listener, List<HistoryOutbox.Row> rows) throws StorageException {
        List<Change> changes = new ArrayList<>(rows.size());
        List<Long> rowIds = new ArrayList<>(rows.size());
        Set<MessageKey> told = new HashSet<>();
        Map<MessageKey, StoredMessage> messages = messagesOf(rows);
        for (HistoryOutbox.Row row : rows) {
            rowIds.add(row.rowId());
            boolean oneToOne = oneToOne(row);
            MessageKey message = oneToOne ? new MessageKey(row.identity(), row.contact(), row.messageId().orElseThrow())
                    : null;
            if (row.change() == HistoryOutbox.Change.STATE && told.contains(message)) {
                continue;
            }
            // A message that is gone (its contact was removed) has nothing to tell; its row goes all the same.
            Optional<Change> change = changeOf(row, Optional.ofNullable(oneToOne ? messages.get(message) : null));
            change.ifPresent(changes::add);
            if (oneToOne && change.isPresent()) {
                told.add(message);
            }
        }
        if (changes.isEmpty()) {
            outbox.delete(rowIds);
            return;
        }
        listener.changed(changes, () -> {
            try {
                outbox.delete(rowIds);
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static boolean oneToOne(HistoryOutbox.Row row) {
        return row.change() == HistoryOutbox.Change.MESSAGE || row.change() == HistoryOutbox.Change.STATE;
    }

    /**
     * The one-to-one messages {@code rows} name, as they are now, read a conversation at a time
     * ({@link MessageStore#findAll}); a message that is gone is absent.
     */
    private Map<MessageKey, StoredMessage> messagesOf(List<HistoryOutbox.Row> rows) throws StorageException {
        Map<MessageStore.Conversation, List<MessageId>> byConversation = new LinkedHashMap<>();
        for (HistoryOutbox.Row row : rows) {
            if (oneToOne(row)) {
                byConversation.computeIfAbsent(new MessageStore.Conversation(row.identity(), row.contact()),
                        k -> new ArrayList<>()).add(row.messageId().orElseThrow());
            }
        }
        Map<MessageKey, StoredMessage> found = new HashMap<>();
        for (Map.Entry<MessageStore.Conversation, List<MessageId>> conversation : byConversation.entrySet()) {
            MessageStore.Conversation c = conversation.getKey();
            runtime.messages.findAll(c.identity(), c.contact(), conversation.getValue())
                    .forEach((id, m) -> found.put(new MessageKey(c.identity(), c.contact(), id), m));
        }
        return found;
    }

    /** The change {@code row} names, with {@code stored} the message of a one-to-one row as it is now. */
    private Optional<Change> changeOf(HistoryOutbox.Row row, Optional<StoredMessage> stored) throws StorageException {
        Optional<LocalIdentity> identity = runtime.identities.all().stream()
                .filter(i -> i.rowId() == row.identity()).findFirst();
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        UserId user = identity.get().userId();
        if (row.change() == HistoryOutbox.Change.CONTACT) {
            // The contact as it is now, with when it last changed: a later change of the same contact
            // makes the same entry again, harmlessly; a change this device took in from another one
            // carries that device's older reading, which no device applies over a newer change.
            Optional<Contact> contact = runtime.contact(row.identity(), row.contact());
            Optional<ContactClock.Reading> reading = runtime.contactReading(row.identity(), row.contact());
            Optional<HlcTimestamp> changedAt = reading.map(ContactClock.Reading::time);
            Optional<MessageId> request = reading.flatMap(ContactClock.Reading::request);
            return Optional.of(contact.map(c -> new ContactChange(user, c.userId(), false, c.state(), c.name(),
                    c.displayName(), c.intro(), changedAt, request)).orElseGet(() -> new ContactChange(user,
                    row.contact(), true, ContactState.DECLINED, Optional.empty(), Optional.empty(), Optional.empty(),
                    changedAt, request)));
        }
        if (row.change() == HistoryOutbox.Change.GROUP_MESSAGE) {
            return groups.find(row.identity(), row.group().orElseThrow(), row.messageId().orElseThrow())
                    .map(k -> new KeptGroupMessage(user, k.text().group(), k.text().sender(), k.text().id(),
                            k.text().timestamp(), k.outgoing(), k.text().text()));
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredMessage m = stored.get();
        return Optional.of(switch (row.change()) {
            case MESSAGE -> new KeptMessage(user, m.contact(), m.id(), ChatRuntime.conversation(user, m.contact()),
                    m.time(), m.outgoing(), m.text(), m.state(), m.fileLink());
            case STATE -> new StateChange(user, m.contact(), m.id(), m.state());
            case CONTACT, GROUP_MESSAGE -> throw new IllegalStateException("handled above");
        });
    }

    /**
     * Keeps a message another device of this user kept, unless this device holds it already (it
     * arrived here too, through fan-out, or was imported before). An outgoing message shows as
     * sent: this device's outbox never had it.
     *
     * @return whether it was new here; false also when this node has no such identity
     * @throws IllegalArgumentException for a file offer whose link is not one
     */
    public boolean importCopy(KeptMessage message) throws StorageException {
        Optional<LocalIdentity> identity = identity(message.identity());
        if (identity.isEmpty()) {
            return false;
        }
        MessageState state = message.outgoing() && message.state() == MessageState.PENDING ? MessageState.SENT
                : message.state();
        ChatContent content = message.fileLink().isPresent() ? new ChatContent.FileOffer(message.fileLink().get())
                : new ChatContent.Text(message.text());
        String text = message.text();
        if (message.fileLink().isPresent()) {
            // The name shown is the link's own, whatever the entry says.
            text = MessageBody.nameOf(message.fileLink().get());
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a file message whose link does not parse");
            }
        }
        ChatEnvelope envelope = new ChatEnvelope(message.id(), message.time(), message.conversation(), content);
        boolean added = runtime.messages.addCopy(identity.get().rowId(), message.contact(), envelope, text,
                message.outgoing(), state);
        if (added) {
            runtime.hlc.observe(message.time());
            runtime.publish(new NodeEvent.ChatMessage(message.identity().text(), message.contact().text(),
                    message.id().toString(), message.outgoing(), message.time().physicalMillis(),
                    message.time().counter(), text));
        }
        return added;
    }

    /**
     * Keeps a group message another device of this user kept, unless this device holds it already
     * (it arrived here too, or was imported before): each message shows once, in the order every
     * member shows the group. A group this device does not know yet keeps the message too; it
     * shows once the group's history arrives.
     *
     * @return whether it was new here; false also when this node has no such identity
     * @throws IllegalArgumentException for a text longer than a group message may be
     */
    public boolean importGroupCopy(KeptGroupMessage message) throws StorageException {
        Optional<LocalIdentity> identity = identity(message.identity());
        if (identity.isEmpty()) {
            return false;
        }
        if (message.text().isEmpty() || message.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > ChatContent.MAX_GROUP_TEXT_BYTES) {
            throw new IllegalArgumentException("a group message has 1 to " + ChatContent.MAX_GROUP_TEXT_BYTES
                    + " UTF-8 bytes");
        }
        if (message.outgoing() != message.sender().equals(message.identity())) {
            throw new IllegalArgumentException("a group message is outgoing exactly when this user sent it");
        }
        org.parley.chat.group.GroupText text = new org.parley.chat.group.GroupText(message.group(), message.sender(),
                message.id(), message.time(), message.text());
        boolean added = groups.addImported(identity.get().rowId(), text, message.outgoing());
        if (added) {
            runtime.hlc.observe(message.time());
            runtime.publish(new NodeEvent.GroupMessage(message.identity().text(), message.group().toString(),
                    message.sender().text(), message.id().toString(), message.outgoing(),
                    message.time().physicalMillis(), message.time().counter(), message.text()));
        }
        return added;
    }

    /**
     * Moves a message to the state another device of this user journaled, if this device holds
     * the message and the state is forward from its own.
     *
     * @return whether it moved; false also when the message is not here (yet)
     */
    public boolean importState(StateChange change) throws StorageException {
        Optional<LocalIdentity> identity = identity(change.identity());
        if (identity.isEmpty()) {
            return false;
        }
        boolean moved = runtime.messages.importState(identity.get().rowId(), change.contact(), change.id(),
                change.state());
        if (moved) {
            runtime.publish(new NodeEvent.ChatState(change.identity().text(), change.contact().text(),
                    change.id().toString(), change.state().wireName(), ""));
        }
        return moved;
    }

    /**
     * Applies a contact change another device of this user journaled: the consent state and
     * names it gives, or the removal (which forgets the conversation, as there). Nothing is sent
     * to the contact: the device that made the change did that.
     *
     * @return whether anything changed here
     */
    public boolean importContact(ContactChange change) throws StorageException {
        Optional<LocalIdentity> identity = identity(change.identity());
        if (identity.isEmpty() || change.contact().equals(change.identity())) {
            return false;
        }
        long row = identity.get().rowId();
        if (change.removed()) {
            // Even when the contact is not here, its removal's reading is kept.
            return runtime.deleteImportedContact(row, change.contact(), change.changedAt(), change.request());
        }
        Optional<Contact> existing = runtime.contact(row, change.contact());
        java.time.Instant now = runtime.clock.instant();
        Contact updated;
        if (existing.isPresent()) {
            Contact e = existing.get();
            if (e.state() == change.state() && e.name().equals(change.name())) {
                runtime.keepImportedTime(row, change.contact(), change.changedAt()); // nothing to show
                return false;
            }
            updated = e.withState(change.state(), now).withName(change.name(), now);
        } else {
            updated = new Contact(row, change.contact(), change.name(), change.displayName(), change.state(),
                    change.state() == ContactState.PENDING ? change.intro() : Optional.empty(), false, false,
                    List.of(), Optional.empty(), java.util.OptionalInt.empty(),
                    ChatRuntime.conversation(change.identity(), change.contact()), now, now);
        }
        if (!runtime.putImported(updated, change.changedAt(), change.request())) {
            return false; // this device changed the contact after that device did
        }
        runtime.publish(new NodeEvent.ContactState(change.identity().text(), change.contact().text(),
                updated.state().wireName()));
        return true;
    }

    private Optional<LocalIdentity> identity(UserId user) {
        return runtime.identities.all().stream().filter(i -> i.userId().equals(user)).findFirst();
    }
}
