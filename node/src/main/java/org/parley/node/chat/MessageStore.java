package org.parley.node.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.EnvelopeCodec;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.GroupCommit;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chat_message} and {@code chat_outbox} tables: message bodies and queued envelopes,
 * each sealed by {@link ColumnCipher} under its identity, contact and message id. A message of
 * ours and its outbox entry are written in one transaction, so a message is never "sent" without
 * being queued, nor queued without being kept. Likewise each message this device keeps (not one
 * taken over from the history journal) and each move to delivered or read is recorded for the
 * journal in {@link HistoryOutbox} in the transaction that makes it. Thread safe (the database
 * serializes callers).
 */
public final class MessageStore {

    /** Ids one {@link #findAll} statement looks up at most: the history writer's batch is up to 256. */
    static final int FIND_ALL_BATCH = 64;

    private static final Logger log = LoggerFactory.getLogger(MessageStore.class);

    private static final String INSERT_MESSAGE = "INSERT INTO chat_message (identity_id, contact, message_id,"
            + " outgoing, hlc_millis, hlc_counter, body, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    /** The insert of a message from elsewhere: a kept id is skipped. */
    private static final String INSERT_NEW_MESSAGE = INSERT_MESSAGE
            + " ON CONFLICT (identity_id, contact, message_id) DO NOTHING";

    /**
     * For each state, the update that moves one of our messages to it if that is forward from the
     * state the message is in ({@link MessageState#canMoveTo}).
     */
    private static final Map<MessageState, String> MOVE_FORWARD = moveForwardStatements();

    /**
     * How long a send waits for others to share its commit while sends keep coming one by one
     * (never on a node that sends now and then; see {@link GroupCommit}). At 5,000 paced chat
     * messages a second on a 2-core machine, 1 ms cut the CPU per message by 5 to 10% and p99
     * send-to-delivered by about a fifth; 2 ms was no better.
     */
    static final Duration SEND_GATHER = Duration.ofMillis(1);

    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final GroupCommit sends;
    /**
     * The latest message time of each conversation read so far ({@link #latestTime}), raised by
     * every message kept after: each send asks it, and a query each would cost a trip through the
     * database lock. Read and raised under that lock only (inside the database's work), so it is
     * never behind the table; it may be ahead (a kept message whose transaction rolled back, or a
     * conversation deleted since), which only times the next message a little later.
     */
    private final Map<Conversation, HlcTimestamp> latest = new ConcurrentHashMap<>();

    /** An identity's conversation with a contact (the history writer groups its reads by it too). */
    record Conversation(long identity, UserId contact) {}

    public MessageStore(NodeDatabase database, ColumnCipher cipher) {
        this.database = database;
        this.cipher = cipher;
        this.sends = new GroupCommit(database, SEND_GATHER);
    }

    /**
     * Keeps our text message or file offer (state pending) and queues its envelope, in one
     * transaction (shared with the sends made at the same moment); returns once it is committed.
     */
    public void addOutgoing(long identity, UserId contact, ChatEnvelope envelope, String text, long nowMillis)
            throws StorageException {
        byte[] body = cipher.seal(MessageBody.encode(envelope, text), bodyContext(identity, contact, envelope.id()));
        byte[] queued = sealEnvelope(identity, contact, envelope);
        // Concurrent senders (several API clients, tabs, the CLI) share one commit.
        sends.write(c -> {
            insertMessage(c, identity, contact, envelope, true, body, MessageState.PENDING);
            insertOutbox(c, identity, contact, envelope.id(), queued, nowMillis);
            HistoryOutbox.record(c, identity, contact, envelope.id(), HistoryOutbox.Change.MESSAGE);
            return null;
        });
    }

    /** Queues an envelope that is not a text message of ours (a receipt, a contact request or response). */
    public void queue(long identity, UserId contact, ChatEnvelope envelope, long nowMillis) throws StorageException {
        byte[] queued = sealEnvelope(identity, contact, envelope);
        database.transaction(c -> {
            insertOutbox(c, identity, contact, envelope.id(), queued, nowMillis);
            return null;
        });
    }

    /**
     * Keeps a text message from a contact (state received) and, in the same transaction, queues
     * {@code receipt} for it if given (a batch's texts share one receipt, which the caller queues).
     *
     * @return false if a message with this id from this contact was kept before (a duplicate),
     *     and then nothing is written
     */
    public boolean addIncoming(long identity, UserId contact, ChatEnvelope envelope, String text,
            Optional<ChatEnvelope> receipt, long nowMillis) throws StorageException {
        byte[] body = cipher.seal(MessageBody.encode(envelope, text), bodyContext(identity, contact, envelope.id()));
        Optional<byte[]> queued = receipt.map(r -> sealEnvelope(identity, contact, r));
        return database.transaction(c -> {
            if (!insertNew(c, identity, contact, envelope, false, body, MessageState.RECEIVED)) {
                return false;
            }
            if (receipt.isPresent()) {
                insertOutbox(c, identity, contact, receipt.get().id(), queued.get(), nowMillis);
            }
            HistoryOutbox.record(c, identity, contact, envelope.id(), HistoryOutbox.Change.MESSAGE);
            return true;
        });
    }

    /**
     * Keeps a text this user sent from another of its devices (a sent copy), state sent, nothing queued.
     *
     * @return false if a message with this id was kept before (a duplicate), and then nothing is written
     */
    public boolean addSentCopy(long identity, UserId contact, ChatEnvelope envelope, String text)
            throws StorageException {
        byte[] body = cipher.seal(MessageBody.encode(envelope, text), bodyContext(identity, contact, envelope.id()));
        return database.transaction(c -> {
            if (!insertNew(c, identity, contact, envelope, true, body, MessageState.SENT)) {
                return false;
            }
            HistoryOutbox.record(c, identity, contact, envelope.id(), HistoryOutbox.Change.MESSAGE);
            return true;
        });
    }

    /**
     * Keeps a message another device of this user kept (taken over from the history journal), in
     * state {@code state}, nothing queued.
     *
     * @return false if a message with this id was kept before (a duplicate), and then nothing is written
     */
    public boolean addCopy(long identity, UserId contact, ChatEnvelope envelope, String text, boolean outgoing,
            MessageState state) throws StorageException {
        byte[] body = cipher.seal(MessageBody.encode(envelope, text), bodyContext(identity, contact, envelope.id()));
        return database.transaction(c -> insertNew(c, identity, contact, envelope, outgoing, body, state));
    }

    /**
     * Moves the message to {@code next} if that is forward from where it is.
     *
     * @return whether it moved
     */
    public boolean moveState(long identity, UserId contact, MessageId id, MessageState next, Optional<String> failure)
            throws StorageException {
        return moveState(identity, contact, id, next, failure, true);
    }

    /**
     * Moves the message to a state another device of this user journaled, if that is forward from
     * where it is; nothing is recorded for the journal (the change is in it already).
     *
     * @return whether it moved
     */
    public boolean importState(long identity, UserId contact, MessageId id, MessageState next)
            throws StorageException {
        return moveState(identity, contact, id, next, Optional.empty(), false);
    }

    private boolean moveState(long identity, UserId contact, MessageId id, MessageState next, Optional<String> failure,
            boolean journal) throws StorageException {
        return database.transaction(c -> {
            MessageState current;
            try (PreparedStatement select = c.prepareStatement("SELECT state FROM chat_message"
                    + " WHERE identity_id = ? AND contact = ? AND message_id = ?")) {
                select.setLong(1, identity);
                select.setString(2, contact.text());
                select.setBytes(3, id.bytes());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                    current = MessageState.ofWireName(row.getString(1));
                }
            }
            boolean incomingRead = current == MessageState.RECEIVED && next == MessageState.READ;
            if (!incomingRead && !current.canMoveTo(next)) {
                return false;
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE chat_message SET state = ?, failure = ?"
                    + " WHERE identity_id = ? AND contact = ? AND message_id = ?")) {
                update.setString(1, next.wireName());
                update.setString(2, failure.orElse(null));
                update.setLong(3, identity);
                update.setString(4, contact.text());
                update.setBytes(5, id.bytes());
                boolean moved = update.executeUpdate() > 0;
                if (moved && journal && isJournaled(next)) {
                    HistoryOutbox.record(c, identity, contact, id, HistoryOutbox.Change.STATE);
                }
                return moved;
            }
        });
    }

    /**
     * Records acked outbox entries in one transaction: drops {@code rowIds} and moves the texts
     * {@code sentTexts} from pending to sent.
     *
     * @return the texts that moved (a receipt may have moved one further already)
     */
    public List<MessageId> markSent(long identity, UserId contact, List<Long> rowIds, List<MessageId> sentTexts)
            throws StorageException {
        return database.transaction(c -> markSent(c, identity, contact, rowIds, sentTexts));
    }

    /** {@link #markSent(long, UserId, List, List)} inside the caller's transaction on {@code c}. */
    List<MessageId> markSent(Connection c, long identity, UserId contact, List<Long> rowIds, List<MessageId> sentTexts)
            throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM chat_outbox WHERE id = ?")) {
            for (long rowId : rowIds) {
                delete.setLong(1, rowId);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        return moveStates(c, identity, contact, sentTexts, MessageState.SENT);
    }

    /**
     * Moves each of our messages {@code ids} to {@code next} where that is forward from where it
     * is, in one transaction; ids that are not our messages with this contact are skipped.
     *
     * @return the ids that moved
     */
    public List<MessageId> moveOutgoing(long identity, UserId contact, List<MessageId> ids, MessageState next)
            throws StorageException {
        return database.transaction(c -> moveStates(c, identity, contact, ids, next));
    }

    private static List<MessageId> moveStates(Connection c, long identity, UserId contact, List<MessageId> ids,
            MessageState next) throws SQLException {
        List<MessageId> moved = new ArrayList<>();
        if (ids.isEmpty()) {
            return moved;
        }
        // One statement a message: the states it may move from are part of the condition, so no
        // read of the row comes first.
        try (PreparedStatement update = c.prepareStatement(MOVE_FORWARD.get(next))) {
            for (MessageId id : ids) {
                update.setString(1, next.wireName());
                update.setLong(2, identity);
                update.setString(3, contact.text());
                update.setBytes(4, id.bytes());
                if (update.executeUpdate() > 0) {
                    moved.add(id);
                    if (isJournaled(next)) {
                        HistoryOutbox.record(c, identity, contact, id, HistoryOutbox.Change.STATE);
                    }
                }
            }
        }
        return moved;
    }

    private static Map<MessageState, String> moveForwardStatements() {
        Map<MessageState, String> statements = new EnumMap<>(MessageState.class);
        for (MessageState next : MessageState.values()) {
            String from = Arrays.stream(MessageState.values()).filter(s -> s.canMoveTo(next))
                    .map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
            statements.put(next, "UPDATE chat_message SET state = ?, failure = NULL WHERE identity_id = ?"
                    + " AND contact = ? AND message_id = ? AND outgoing = 1 AND state IN ("
                    + (from.isEmpty() ? "NULL" : from) + ")");
        }
        return statements;
    }

    /**
     * Whether a move to {@code state} goes into the history journal: delivered and read do (the
     * other devices show them too); sent does not (a copy taken over shows as sent already), nor
     * does failed (it is this device's outbox that gave up).
     */
    private static boolean isJournaled(MessageState state) {
        return state == MessageState.DELIVERED || state == MessageState.READ;
    }

    /** One message with {@code contact}, body opened, if it is kept. */
    public Optional<StoredMessage> find(long identity, UserId contact, MessageId id) throws StorageException {
        Optional<Row> found = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT outgoing, hlc_millis, hlc_counter, body,"
                    + " state, failure FROM chat_message WHERE identity_id = ? AND contact = ? AND message_id = ?")) {
                select.setLong(1, identity);
                select.setString(2, contact.text());
                select.setBytes(3, id.bytes());
                try (ResultSet r = select.executeQuery()) {
                    return r.next() ? Optional.of(row(r, id)) : Optional.<Row>empty();
                }
            }
        });
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(opened(identity, contact, found.get()));
    }

    /**
     * The messages with {@code contact} of {@code identity} among {@code ids}, as they are now, by
     * id; an id with no message is left out. One read and one statement for a batch, where
     * {@link #find} per message cost a statement each: the history writer reads every message it
     * journals.
     */
    public Map<MessageId, StoredMessage> findAll(long identity, UserId contact, List<MessageId> ids)
            throws StorageException {
        Map<MessageId, StoredMessage> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += FIND_ALL_BATCH) {
            List<MessageId> part = ids.subList(from, Math.min(ids.size(), from + FIND_ALL_BATCH));
            List<Row> rows = database.read(c -> {
                // A fixed number of slots keeps one cached statement; the last id fills the rest.
                try (PreparedStatement select = c.prepareStatement("SELECT outgoing, hlc_millis, hlc_counter, body,"
                        + " state, failure, message_id FROM chat_message WHERE identity_id = ? AND contact = ? AND"
                        + " message_id IN (" + "?, ".repeat(FIND_ALL_BATCH - 1) + "?)")) {
                    select.setLong(1, identity);
                    select.setString(2, contact.text());
                    for (int i = 0; i < FIND_ALL_BATCH; i++) {
                        select.setBytes(3 + i, part.get(Math.min(i, part.size() - 1)).bytes());
                    }
                    List<Row> out = new ArrayList<>();
                    try (ResultSet r = select.executeQuery()) {
                        while (r.next()) {
                            out.add(row(r, new MessageId(r.getBytes(7))));
                        }
                    }
                    return out;
                }
            });
            for (Row row : rows) {
                found.put(row.id(), opened(identity, contact, row));
            }
        }
        return found;
    }

    /** The message {@code id} from a result whose first six columns are those {@link #find} selects. */
    private static Row row(ResultSet r, MessageId id) throws SQLException {
        return new Row(id, r.getInt(1) != 0, new HlcTimestamp(r.getLong(2), r.getInt(3)), r.getBytes(4),
                MessageState.ofWireName(r.getString(5)), Optional.ofNullable(r.getString(6)));
    }

    private StoredMessage opened(long identity, UserId contact, Row row) throws StorageException {
        StoredMessage.Body body;
        try {
            body = MessageBody.decode(cipher.open(row.body(), bodyContext(identity, contact, row.id())));
        } catch (SealedValueException e) {
            throw new StorageException("a message body cannot be read: " + e.getMessage(), e);
        }
        return new StoredMessage(row.id(), contact, row.outgoing(), row.time(), body.text(), row.state(),
                row.failure(), body.fileLink());
    }

    /**
     * The HLC time of the latest message with {@code contact}, if there is one: no earlier than
     * it, and later only after a kept message was rolled back or the conversation deleted.
     */
    public Optional<HlcTimestamp> latestTime(long identity, UserId contact) throws StorageException {
        Conversation conversation = new Conversation(identity, contact);
        HlcTimestamp known = latest.get(conversation);
        if (known != null) {
            return Optional.of(known);
        }
        return database.read(c -> {
            // Under the lock, so no message is kept between the read and the cache's entry.
            HlcTimestamp raised = latest.get(conversation);
            if (raised != null) {
                return Optional.of(raised);
            }
            Optional<HlcTimestamp> stored = latestStored(c, identity, contact);
            stored.ifPresent(t -> latest.put(conversation, t));
            return stored;
        });
    }

    private static Optional<HlcTimestamp> latestStored(Connection c, long identity, UserId contact)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT hlc_millis, hlc_counter FROM chat_message"
                + " WHERE identity_id = ? AND contact = ? ORDER BY hlc_millis DESC, hlc_counter DESC LIMIT 1")) {
            select.setLong(1, identity);
            select.setString(2, contact.text());
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? Optional.of(new HlcTimestamp(r.getLong(1), r.getInt(2))) : Optional.empty();
            }
        }
    }

    /** Whether the message is one of ours with this contact. */
    public boolean isOutgoing(long identity, UserId contact, MessageId id) throws StorageException {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT outgoing FROM chat_message"
                    + " WHERE identity_id = ? AND contact = ? AND message_id = ?")) {
                select.setLong(1, identity);
                select.setString(2, contact.text());
                select.setBytes(3, id.bytes());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() && row.getInt(1) != 0;
                }
            }
        });
    }

    /** The latest {@code limit} messages with {@code contact}, oldest first, by HLC time then id. */
    public List<StoredMessage> history(long identity, UserId contact, int limit) throws StorageException {
        return page(identity, contact, limit, null).orElseThrow();
    }

    /**
     * The latest {@code limit} messages with {@code contact} that come before the message
     * {@code before} (by HLC time then id), oldest first: the next page of a keyset-paged history.
     *
     * @return empty if there is no message {@code before} with this contact
     */
    public Optional<List<StoredMessage>> historyBefore(long identity, UserId contact, MessageId before, int limit)
            throws StorageException {
        return page(identity, contact, limit, before);
    }

    private record Row(MessageId id, boolean outgoing, HlcTimestamp time, byte[] body, MessageState state,
            Optional<String> failure) {}

    private static final String AFTER_CURSOR = " AND (hlc_millis, hlc_counter, message_id) < (SELECT hlc_millis,"
            + " hlc_counter, message_id FROM chat_message WHERE identity_id = ? AND contact = ? AND message_id = ?)";

    private Optional<List<StoredMessage>> page(long identity, UserId contact, int limit, MessageId before)
            throws StorageException {
        Optional<List<Row>> found = database.read(c -> {
            if (before != null && !exists(c, identity, contact, before)) {
                return Optional.empty();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT message_id, outgoing, hlc_millis, hlc_counter,"
                    + " body, state, failure FROM chat_message WHERE identity_id = ? AND contact = ?"
                    + (before == null ? "" : AFTER_CURSOR)
                    + " ORDER BY hlc_millis DESC, hlc_counter DESC, message_id DESC LIMIT ?")) {
                int i = 1;
                select.setLong(i++, identity);
                select.setString(i++, contact.text());
                if (before != null) {
                    select.setLong(i++, identity);
                    select.setString(i++, contact.text());
                    select.setBytes(i++, before.bytes());
                }
                select.setInt(i, limit);
                List<Row> out = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        out.add(new Row(new MessageId(r.getBytes(1)), r.getInt(2) != 0,
                                new HlcTimestamp(r.getLong(3), r.getInt(4)), r.getBytes(5),
                                MessageState.ofWireName(r.getString(6)), Optional.ofNullable(r.getString(7))));
                    }
                }
                return Optional.of(out);
            }
        });
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<StoredMessage> out = new ArrayList<>();
        for (Row row : found.get().reversed()) {
            out.add(opened(identity, contact, row));
        }
        return Optional.of(out);
    }

    /** How many of each contact's messages to {@code identity} are received and not yet read, by contact. */
    public Map<String, Integer> unreadCounts(long identity) throws StorageException {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT contact, COUNT(*) FROM chat_message"
                    + " WHERE identity_id = ? AND outgoing = 0 AND state = ? GROUP BY contact")) {
                select.setLong(1, identity);
                select.setString(2, MessageState.RECEIVED.wireName());
                Map<String, Integer> out = new LinkedHashMap<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getInt(2));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The received, unread messages from {@code contact} up to and including {@code upTo} (by HLC
     * time then id), at most {@code limit}.
     *
     * @return empty if there is no message {@code upTo} with this contact
     */
    public Optional<List<MessageId>> unreadUpTo(long identity, UserId contact, MessageId upTo, int limit)
            throws StorageException {
        return database.read(c -> {
            if (!exists(c, identity, contact, upTo)) {
                return Optional.empty();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT message_id FROM chat_message"
                    + " WHERE identity_id = ? AND contact = ? AND outgoing = 0 AND state = ?"
                    + " AND (hlc_millis, hlc_counter, message_id) <= (SELECT hlc_millis, hlc_counter, message_id"
                    + " FROM chat_message WHERE identity_id = ? AND contact = ? AND message_id = ?)"
                    + " ORDER BY hlc_millis, hlc_counter, message_id LIMIT ?")) {
                select.setLong(1, identity);
                select.setString(2, contact.text());
                select.setString(3, MessageState.RECEIVED.wireName());
                select.setLong(4, identity);
                select.setString(5, contact.text());
                select.setBytes(6, upTo.bytes());
                select.setInt(7, limit);
                List<MessageId> out = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        out.add(new MessageId(r.getBytes(1)));
                    }
                }
                return Optional.of(out);
            }
        });
    }

    /**
     * {@code contact}'s queued envelopes after row {@code afterRow}, oldest first, at most
     * {@code limit}, due or not: a contact's delivery lane sends what is queued in order, and one
     * held back by an earlier failure goes with the rest once the lane runs again.
     */
    public List<OutboxEntry> queuedAfter(long identity, UserId contact, long afterRow, int limit)
            throws StorageException {
        return entries("WHERE identity_id = ? AND contact = ? AND id > ? ORDER BY id LIMIT ?", select -> {
            select.setLong(1, identity);
            select.setString(2, contact.text());
            select.setLong(3, afterRow);
            select.setInt(4, limit);
        });
    }

    /** A contact with queued envelopes: whose they are, and when the earliest falls due. */
    public record QueuedContact(long identity, UserId contact, long dueAt) {}

    /**
     * Every contact with queued envelopes, with when its earliest falls due. A row naming no valid
     * contact (a damaged database) can reach no one: it is logged and left out.
     */
    public List<QueuedContact> queuedContacts() throws StorageException {
        return database.read(c -> {
            List<QueuedContact> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT identity_id, contact, min(next_attempt_at)"
                    + " FROM chat_outbox GROUP BY identity_id, contact");
                    ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    try {
                        out.add(new QueuedContact(r.getLong(1), UserId.parse(r.getString(2)), r.getLong(3)));
                    } catch (InvalidUserIdException e) {
                        log.warn("queued chat envelopes name no valid contact and are left out: {}", e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement select) throws SQLException;
    }

    /** The outbox rows {@code where} selects, opened and decoded. */
    private List<OutboxEntry> entries(String where, Binder binder) throws StorageException {
        record Row(long rowId, long identity, String contact, byte[] messageId, byte[] sealed, int attempts) {}
        List<Row> rows = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, identity_id, contact, message_id, envelope,"
                    + " attempts FROM chat_outbox " + where)) {
                binder.bind(select);
                List<Row> out = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        out.add(new Row(r.getLong(1), r.getLong(2), r.getString(3), r.getBytes(4), r.getBytes(5),
                                r.getInt(6)));
                    }
                }
                return out;
            }
        });
        List<OutboxEntry> out = new ArrayList<>();
        for (Row row : rows) {
            try {
                UserId contact = UserId.parse(row.contact());
                byte[] encoded = cipher.open(row.sealed(), outboxContext(row.identity(), contact, new MessageId(row.messageId())));
                out.add(new OutboxEntry(row.rowId(), row.identity(), contact, EnvelopeCodec.decode(encoded), row.attempts()));
            } catch (InvalidUserIdException | SealedValueException | PeerFaultException e) {
                throw new StorageException("a queued chat envelope cannot be read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Drops a delivered (or abandoned) entry. */
    public void remove(long rowId) throws StorageException {
        remove(List.of(rowId));
    }

    /** Drops delivered entries, in one transaction. */
    public void remove(List<Long> rowIds) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM chat_outbox WHERE id = ?")) {
                for (long rowId : rowIds) {
                    delete.setLong(1, rowId);
                    delete.executeUpdate();
                }
                return null;
            }
        });
    }

    /**
     * Sets when to try {@code rowIds} again, in one transaction, and counts an attempt for each
     * that was due at {@code nowMillis}. One tried before it was due (a new message to the same
     * contact woke its lane) is not counted: otherwise a few quick sends to a contact whose device
     * fails every batch would raise the backoff to its longest in milliseconds.
     */
    public void retryAt(List<Long> rowIds, long nowMillis, long atMillis, String error) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE chat_outbox"
                    + " SET attempts = attempts + (next_attempt_at <= ?), next_attempt_at = ?, last_error = ?"
                    + " WHERE id = ?")) {
                for (long rowId : rowIds) {
                    update.setLong(1, nowMillis);
                    update.setLong(2, atMillis);
                    update.setString(3, error);
                    update.setLong(4, rowId);
                    update.executeUpdate();
                }
                return null;
            }
        });
    }

    /** Makes every entry for {@code contact} due now (its device just came online, or its warning was cleared). */
    public int wake(long identity, UserId contact) throws StorageException {
        return database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE chat_outbox SET next_attempt_at = 0 WHERE identity_id = ? AND contact = ?")) {
                update.setLong(1, identity);
                update.setString(2, contact.text());
                return update.executeUpdate();
            }
        });
    }

    /** Makes every queued entry due now. */
    public int wakeAll() throws StorageException {
        return database.transaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE chat_outbox SET next_attempt_at = 0")) {
                return update.executeUpdate();
            }
        });
    }

    private byte[] sealEnvelope(long identity, UserId contact, ChatEnvelope envelope) {
        return cipher.seal(EnvelopeCodec.encode(envelope), outboxContext(identity, contact, envelope.id()));
    }

    private static boolean exists(Connection c, long identity, UserId contact, MessageId id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM chat_message"
                + " WHERE identity_id = ? AND contact = ? AND message_id = ?")) {
            select.setLong(1, identity);
            select.setString(2, contact.text());
            select.setBytes(3, id.bytes());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Keeps our new message; an id kept before (never, for a new one: 80 random bits) fails the transaction. */
    private void insertMessage(Connection c, long identity, UserId contact, ChatEnvelope envelope,
            boolean outgoing, byte[] body, MessageState state) throws SQLException {
        insert(c, INSERT_MESSAGE, identity, contact, envelope, outgoing, body, state);
    }

    /**
     * Keeps a message that came from elsewhere (a contact, a sibling) unless its id is kept
     * already: one statement, where a look for the id and then the insert took two.
     *
     * @return false for a duplicate, and then nothing is written
     */
    private boolean insertNew(Connection c, long identity, UserId contact, ChatEnvelope envelope,
            boolean outgoing, byte[] body, MessageState state) throws SQLException {
        return insert(c, INSERT_NEW_MESSAGE, identity, contact, envelope, outgoing, body, state);
    }

    private boolean insert(Connection c, String sql, long identity, UserId contact, ChatEnvelope envelope,
            boolean outgoing, byte[] body, MessageState state) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setLong(1, identity);
            insert.setString(2, contact.text());
            insert.setBytes(3, envelope.id().bytes());
            insert.setInt(4, outgoing ? 1 : 0);
            insert.setLong(5, envelope.timestamp().physicalMillis());
            insert.setInt(6, envelope.timestamp().counter());
            insert.setBytes(7, body);
            insert.setString(8, state.wireName());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        // A conversation not read yet stays unknown: its first read takes this message from the table.
        latest.computeIfPresent(new Conversation(identity, contact),
                (k, t) -> t.compareTo(envelope.timestamp()) >= 0 ? t : envelope.timestamp());
        return true;
    }

    private static void insertOutbox(Connection c, long identity, UserId contact, MessageId id, byte[] sealed,
            long nowMillis) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO chat_outbox (identity_id, contact, message_id,"
                + " envelope, next_attempt_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, identity);
            insert.setString(2, contact.text());
            insert.setBytes(3, id.bytes());
            insert.setBytes(4, sealed);
            insert.setLong(5, nowMillis);
            insert.executeUpdate();
        }
    }

    private static String bodyContext(long identity, UserId contact, MessageId id) {
        return "chat_message.body:" + identity + "/" + contact.text() + "/" + id;
    }

    private static String outboxContext(long identity, UserId contact, MessageId id) {
        return "chat_outbox.envelope:" + identity + "/" + contact.text() + "/" + id;
    }
}
