package org.parley.node.chat;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.chat.group.GroupEngine;
import org.parley.chat.group.GroupText;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.EnvelopeCodec;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;

/**
 * The node's group tables: each group's operation chain, the user's answer to an invitation, the
 * group messages, and the group messages waiting for their sender key. Operations and texts are sealed with the storage key, each under a context
 * naming its row, so a sealed value moved to another row does not open. Thread safe (the
 * database serializes).
 */
final class GroupStore {

    /** What the user made of a group they were put in. */
    enum Membership {
        INVITED, JOINED, DECLINED;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A waiting message is kept as an envelope around it; its id and time mean nothing. */
    private static final MessageId WAITING_ID = new MessageId(new byte[MessageId.BYTES]);
    private static final HlcTimestamp WAITING_TIME = new HlcTimestamp(0, 0);

    private final NodeDatabase database;
    private final ColumnCipher cipher;
    /** Told (never blocking) that a kept message was recorded for the history journal. */
    private final Runnable recorded;

    GroupStore(NodeDatabase database, ColumnCipher cipher) {
        this(database, cipher, () -> { });
    }

    /** @param recorded wakes the history writer after a message was recorded for the journal */
    GroupStore(NodeDatabase database, ColumnCipher cipher, Runnable recorded) {
        this.database = database;
        this.cipher = cipher;
        this.recorded = recorded;
    }

    /** Replaces the stored chain of {@code group} with {@code chain} (a fork may have rewritten its tail). */
    void saveChain(long identity, ConversationId group, List<byte[]> chain) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM group_op WHERE identity_id = ? AND group_id = ?")) {
                delete.setLong(1, identity);
                delete.setBytes(2, group.bytes());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO group_op (identity_id, group_id, position, op) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < chain.size(); i++) {
                    insert.setLong(1, identity);
                    insert.setBytes(2, group.bytes());
                    insert.setInt(3, i);
                    insert.setBytes(4, cipher.seal(chain.get(i), opContext(identity, group, i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Every stored chain of {@code identity}, by group. */
    Map<ConversationId, List<byte[]>> chains(long identity) throws StorageException {
        Map<ConversationId, List<byte[]>> out = new LinkedHashMap<>();
        List<Object[]> rows = database.read(c -> {
            List<Object[]> r = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT group_id, position, op FROM group_op WHERE identity_id = ? ORDER BY rowid")) {
                s.setLong(1, identity);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        r.add(new Object[] {rs.getBytes(1), rs.getInt(2), rs.getBytes(3)});
                    }
                }
            }
            return r;
        });
        for (Object[] row : rows) {
            ConversationId group = new ConversationId((byte[]) row[0]);
            try {
                out.computeIfAbsent(group, g -> new ArrayList<>())
                        .add(cipher.open((byte[]) row[2], opContext(identity, group, (Integer) row[1])));
            } catch (SealedValueException e) {
                throw new StorageException("a stored group operation does not open with this storage key", e);
            }
        }
        return out;
    }

    Optional<Membership> membership(long identity, ConversationId group) throws StorageException {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT state FROM group_membership WHERE identity_id = ? AND group_id = ?")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(Membership.valueOf(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    void setMembership(long identity, ConversationId group, Membership state) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO group_membership (identity_id, group_id, state)"
                    + " VALUES (?, ?, ?) ON CONFLICT (identity_id, group_id) DO UPDATE SET state = excluded.state")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                s.setString(3, state.name());
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Keeps a group message; a received one is unread until {@link #markReadUpTo}. A new one is
     * recorded for the history journal in the same transaction, so the user's other devices get it.
     *
     * @return false if a message with this id was kept in this group before (a duplicate), and then
     *     nothing is written
     */
    boolean addMessage(long identity, GroupText text, boolean outgoing) throws StorageException {
        boolean added = insert(identity, text, outgoing, true);
        if (added) {
            recorded.run();
        }
        return added;
    }

    /**
     * Keeps a group message another device of this user journaled, unless it is here already;
     * nothing is recorded for the journal (the message is in it already).
     *
     * @return whether it was new here
     */
    boolean addImported(long identity, GroupText text, boolean outgoing) throws StorageException {
        return insert(identity, text, outgoing, false);
    }

    /**
     * One group message and its text, as {@link #history} reads it, and whether this identity sent
     * it; empty if the group holds no such message.
     */
    Optional<Kept> find(long identity, ConversationId group, MessageId id) throws StorageException {
        Optional<Object[]> row = database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT sender, hlc_millis, hlc_counter, body, outgoing"
                    + " FROM group_message WHERE identity_id = ? AND group_id = ? AND message_id = ?")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                s.setBytes(3, id.bytes());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Object[] {rs.getString(1), rs.getLong(2), rs.getInt(3),
                        rs.getBytes(4), rs.getInt(5)}) : Optional.<Object[]>empty();
                }
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = row.get();
        String text;
        try {
            text = new String(cipher.open((byte[]) r[3], bodyContext(identity, group, id)), StandardCharsets.UTF_8);
        } catch (SealedValueException e) {
            throw new StorageException("a stored group message does not open with this storage key", e);
        }
        return Optional.of(new Kept(new GroupText(group, parse((String) r[0]), id,
                new HlcTimestamp((Long) r[1], (Integer) r[2]), text), (Integer) r[4] == 1));
    }

    /** A kept group message and whether this identity sent it. Never logged: no text in {@link #toString()}. */
    record Kept(GroupText text, boolean outgoing) {
        @Override
        public String toString() {
            return "Kept[id=" + text.id() + ", outgoing=" + outgoing + "]";
        }
    }

    private boolean insert(long identity, GroupText text, boolean outgoing, boolean journal) throws StorageException {
        byte[] body = cipher.seal(text.text().getBytes(StandardCharsets.UTF_8),
                bodyContext(identity, text.group(), text.id()));
        return database.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO group_message (identity_id, group_id, sender,"
                    + " message_id, outgoing, hlc_millis, hlc_counter, body, unread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (identity_id, group_id, message_id) DO NOTHING")) {
                s.setLong(1, identity);
                s.setBytes(2, text.group().bytes());
                s.setString(3, text.sender().text());
                s.setBytes(4, text.id().bytes());
                s.setInt(5, outgoing ? 1 : 0);
                s.setLong(6, text.timestamp().physicalMillis());
                s.setInt(7, text.timestamp().counter());
                s.setBytes(8, body);
                s.setInt(9, outgoing ? 0 : 1);
                boolean added = s.executeUpdate() == 1;
                if (added && journal) {
                    HistoryOutbox.recordGroupMessage(c, identity, text.group(), text.sender(), text.id());
                }
                return added;
            }
        });
    }

    /** The latest {@code limit} messages of a group, oldest first, in the order every member shows them. */
    List<GroupText> history(long identity, ConversationId group, int limit) throws StorageException {
        List<Object[]> rows = database.read(c -> {
            List<Object[]> r = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT sender, message_id, hlc_millis, hlc_counter, body"
                    + " FROM group_message WHERE identity_id = ? AND group_id = ?"
                    + " ORDER BY hlc_millis DESC, hlc_counter DESC, sender DESC, message_id DESC LIMIT ?")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                s.setInt(3, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        r.add(new Object[] {rs.getString(1), rs.getBytes(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5)});
                    }
                }
            }
            return r;
        });
        List<GroupText> out = new ArrayList<>();
        for (Object[] row : rows.reversed()) {
            MessageId id = new MessageId((byte[]) row[1]);
            String text;
            try {
                text = new String(cipher.open((byte[]) row[4], bodyContext(identity, group, id)), StandardCharsets.UTF_8);
            } catch (SealedValueException e) {
                throw new StorageException("a stored group message does not open with this storage key", e);
            }
            out.add(new GroupText(group, parse((String) row[0]), id,
                    new HlcTimestamp((Long) row[2], (Integer) row[3]), text));
        }
        return out;
    }

    /** How many received messages of each group of {@code identity} are unread, by group; groups with none are absent. */
    Map<ConversationId, Integer> unreadCounts(long identity) throws StorageException {
        return database.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT group_id, COUNT(*) FROM group_message"
                    + " WHERE identity_id = ? AND unread = 1 GROUP BY group_id")) {
                s.setLong(1, identity);
                Map<ConversationId, Integer> out = new LinkedHashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(new ConversationId(rs.getBytes(1)), rs.getInt(2));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Marks the group's messages read up to and including {@code upTo}, in the order every member
     * shows them.
     *
     * @return how many were unread, or empty if the group has no message {@code upTo}
     */
    Optional<Integer> markReadUpTo(long identity, ConversationId group, MessageId upTo) throws StorageException {
        return database.transaction(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM group_message"
                    + " WHERE identity_id = ? AND group_id = ? AND message_id = ?")) {
                exists.setLong(1, identity);
                exists.setBytes(2, group.bytes());
                exists.setBytes(3, upTo.bytes());
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE group_message SET unread = 0"
                    + " WHERE identity_id = ? AND group_id = ? AND unread = 1"
                    + " AND (hlc_millis, hlc_counter, sender, message_id) <= (SELECT hlc_millis, hlc_counter, sender,"
                    + " message_id FROM group_message WHERE identity_id = ? AND group_id = ? AND message_id = ?)")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                s.setLong(3, identity);
                s.setBytes(4, group.bytes());
                s.setBytes(5, upTo.bytes());
                return Optional.of(s.executeUpdate());
            }
        });
    }

    /**
     * Replaces the stored waiting group messages of {@code identity} with {@code waiting}, oldest
     * first (the engine holds at most {@link org.parley.chat.group.GroupEngine#MAX_PENDING}).
     */
    void saveWaiting(long identity, List<GroupEngine.Waiting> waiting) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM group_waiting WHERE identity_id = ?")) {
                delete.setLong(1, identity);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO group_waiting (identity_id, position,"
                    + " sender, device, message) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < waiting.size(); i++) {
                    GroupEngine.Waiting w = waiting.get(i);
                    ChatContent.GroupMessage m = w.message();
                    byte[] encoded = EnvelopeCodec.encode(new ChatEnvelope(WAITING_ID, WAITING_TIME, m.group(), m));
                    insert.setLong(1, identity);
                    insert.setInt(2, i);
                    insert.setString(3, w.from().user().text());
                    insert.setInt(4, w.from().device());
                    insert.setBytes(5, cipher.seal(encoded, waitingContext(identity, i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** The stored waiting group messages of {@code identity}, oldest first. */
    List<GroupEngine.Waiting> waiting(long identity) throws StorageException {
        List<Object[]> rows = database.read(c -> {
            List<Object[]> r = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT position, sender, device, message FROM group_waiting"
                    + " WHERE identity_id = ? ORDER BY position")) {
                s.setLong(1, identity);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        r.add(new Object[] {rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getBytes(4)});
                    }
                }
            }
            return r;
        });
        List<GroupEngine.Waiting> out = new ArrayList<>();
        for (Object[] row : rows) {
            ChatEnvelope envelope;
            try {
                envelope = EnvelopeCodec.decode(cipher.open((byte[]) row[3], waitingContext(identity, (Integer) row[0])));
            } catch (SealedValueException e) {
                throw new StorageException("a stored waiting group message does not open with this storage key", e);
            } catch (PeerFaultException e) {
                throw new StorageException("a stored waiting group message does not decode", e);
            }
            if (!(envelope.content() instanceof ChatContent.GroupMessage message)) {
                throw new StorageException("a stored waiting group message holds something else");
            }
            out.add(new GroupEngine.Waiting(new ChatAddress(parse((String) row[1]), (Integer) row[2]), message));
        }
        return out;
    }

    /**
     * Records that {@code member} holds our group message {@code id}.
     *
     * @return true if this is news: the message is ours, kept here, and the member had not told it before
     */
    boolean addDelivered(long identity, ConversationId group, MessageId id, UserId member) throws StorageException {
        return database.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT OR IGNORE INTO group_receipt (identity_id, group_id,"
                    + " message_id, member) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM group_message"
                    + " WHERE identity_id = ? AND group_id = ? AND message_id = ? AND outgoing = 1)")) {
                s.setLong(1, identity);
                s.setBytes(2, group.bytes());
                s.setBytes(3, id.bytes());
                s.setString(4, member.text());
                s.setLong(5, identity);
                s.setBytes(6, group.bytes());
                s.setBytes(7, id.bytes());
                return s.executeUpdate() == 1;
            }
        });
    }

    /** The members that told they hold each of {@code ids} (our group messages), by id; absent ids have none. */
    Map<MessageId, List<UserId>> deliveredTo(long identity, ConversationId group, List<MessageId> ids)
            throws StorageException {
        Map<MessageId, List<String>> rows = database.read(c -> {
            Map<MessageId, List<String>> r = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT member FROM group_receipt WHERE identity_id = ?"
                    + " AND group_id = ? AND message_id = ? ORDER BY member")) {
                for (MessageId id : ids) {
                    s.setLong(1, identity);
                    s.setBytes(2, group.bytes());
                    s.setBytes(3, id.bytes());
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            r.computeIfAbsent(id, k -> new ArrayList<>()).add(rs.getString(1));
                        }
                    }
                }
            }
            return r;
        });
        Map<MessageId, List<UserId>> out = new LinkedHashMap<>();
        rows.forEach((id, members) -> out.put(id, members.stream().map(GroupStore::parse).toList()));
        return out;
    }

    private static UserId parse(String text) {
        try {
            return UserId.parse(text);
        } catch (org.parley.chat.identity.InvalidUserIdException e) {
            throw new IllegalStateException("a stored sender is not a user ID", e);
        }
    }

    private static String opContext(long identity, ConversationId group, int position) {
        return "group_op.op:" + identity + "/" + group + "/" + position;
    }

    private static String waitingContext(long identity, int position) {
        return "group_waiting.message:" + identity + "/" + position;
    }

    private static String bodyContext(long identity, ConversationId group, MessageId id) {
        return "group_message.body:" + identity + "/" + group + "/" + HexFormat.of().formatHex(id.bytes());
    }
}
