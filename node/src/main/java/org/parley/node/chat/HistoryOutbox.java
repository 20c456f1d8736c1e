package org.parley.node.chat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.MessageId;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * The {@code history_outbox} table: chat changes this device made that the history journal does
 * not hold yet. A row is written by the message store in the transaction of the change it names
 * (so the change is never kept without it), and deleted in the transaction of the journal entry
 * made from it (so it becomes exactly one entry, even across a crash). Rows hold references only:
 * the entry is built from the sealed message row. Rows are written only while this device
 * journals ({@code history_journaling}): a device without siblings queues nothing, and queues its
 * whole history when one appears ({@link #journal}). Thread safe (the database serializes callers).
 */
final class HistoryOutbox {

    /** What a row asks the journal to record. */
    enum Change {
        /** A message was kept: its entry carries the message. */
        MESSAGE,
        /** A message's state moved (delivered, read): its entry carries the new state. */
        STATE,
        /** A contact's consent or name changed, or the contact was removed: its entry carries the contact as it is. */
        CONTACT,
        /** A group message was kept (sent or received): its entry carries the message; the row names its group. */
        GROUP_MESSAGE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Change ofWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One waiting change; {@code messageId} is empty for a contact change; {@code group} is present
     * for a group message only, and then {@code contact} is its sender.
     */
    record Row(long rowId, long identity, UserId contact, Optional<MessageId> messageId, Change change,
            Optional<ConversationId> group) {

        Row(long rowId, long identity, UserId contact, Optional<MessageId> messageId, Change change) {
            this(rowId, identity, contact, messageId, change, Optional.empty());
        }
    }

    /** What a contact change's row holds in its message id column: it names no message. */
    private static final byte[] NO_MESSAGE = new byte[0];

    private final NodeDatabase database;

    HistoryOutbox(NodeDatabase database) {
        this.database = database;
    }

    /**
     * Adds a row, unless this device journals nothing (it has no siblings): the test runs in the
     * same statement, so a change and the switch of {@link #journal} are ordered by the database.
     */
    private static final String INSERT_WHILE_JOURNALING = "INSERT INTO history_outbox (identity_id, contact,"
            + " message_id, change, group_id) SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM history_journaling)";

    /** Records a change inside the caller's transaction on {@code c}, if this device journals. */
    static void record(Connection c, long identity, UserId contact, MessageId id, Change change) throws SQLException {
        insert(c, identity, contact, id.bytes(), change, null);
    }

    /** Records a change of the contact {@code contact} inside the caller's transaction on {@code c}, if this device journals. */
    static void recordContact(Connection c, long identity, UserId contact) throws SQLException {
        insert(c, identity, contact, NO_MESSAGE, Change.CONTACT, null);
    }

    /** Records that a group message was kept, inside the caller's transaction on {@code c}, if this device journals. */
    static void recordGroupMessage(Connection c, long identity, ConversationId group, UserId sender, MessageId id)
            throws SQLException {
        insert(c, identity, sender, id.bytes(), Change.GROUP_MESSAGE, group.bytes());
    }

    private static void insert(Connection c, long identity, UserId contact, byte[] messageId, Change change,
            byte[] group) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_WHILE_JOURNALING)) {
            insert.setLong(1, identity);
            insert.setString(2, contact.text());
            insert.setBytes(3, messageId);
            insert.setString(4, change.wireName());
            insert.setBytes(5, group);
            insert.executeUpdate();
        }
    }

    /**
     * Turns journaling on or off in one transaction, and reports whether it changed. Turned on, it
     * also queues every contact (and every contact removal this device keeps a reading of), every
     * one-to-one message and every group message this device holds, in that order: while it was
     * off nothing was queued, and a sibling must receive the whole history. Each message's row is
     * read as the message is now, with its state, so no state rows are needed. Turned off, rows
     * already queued stay and are written as usual.
     */
    boolean journal(boolean on, long nowMillis) throws StorageException {
        return database.transaction(c -> {
            if (journaling(c) == on) {
                return false;
            }
            if (!on) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM history_journaling")) {
                    delete.executeUpdate();
                }
                return true;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO history_journaling (id, since) VALUES (1, ?)")) {
                insert.setLong(1, nowMillis);
                insert.executeUpdate();
            }
            try (Statement queue = c.createStatement()) {
                queue.executeUpdate("INSERT INTO history_outbox (identity_id, contact, message_id, change)"
                        + " SELECT identity_id, user_id, X'', 'contact' FROM contact"
                        + " UNION SELECT identity_id, user_id, X'', 'contact' FROM contact_clock");
                queue.executeUpdate("INSERT INTO history_outbox (identity_id, contact, message_id, change)"
                        + " SELECT identity_id, contact, message_id, 'message' FROM chat_message ORDER BY id");
                queue.executeUpdate("INSERT INTO history_outbox (identity_id, contact, message_id, change, group_id)"
                        + " SELECT identity_id, sender, message_id, 'group_message', group_id FROM group_message"
                        + " ORDER BY id");
            }
            return true;
        });
    }

    /** Whether this device journals its changes now. */
    boolean journaling() throws StorageException {
        return database.read(HistoryOutbox::journaling);
    }

    private static boolean journaling(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM history_journaling");
                ResultSet r = select.executeQuery()) {
            return r.next();
        }
    }

    /**
     * The oldest waiting changes, at most {@code limit}. A row that no longer parses (a damaged
     * database) is deleted and logged by the caller's next round, never returned.
     */
    List<Row> oldest(int limit) throws StorageException {
        List<Long> broken = new ArrayList<>();
        List<Row> rows = database.read(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id, identity_id, contact, message_id, change,"
                    + " group_id FROM history_outbox ORDER BY id LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        try {
                            Change change = Change.ofWireName(r.getString(5));
                            Optional<MessageId> id = change == Change.CONTACT ? Optional.empty()
                                    : Optional.of(new MessageId(r.getBytes(4)));
                            byte[] groupBytes = r.getBytes(6);
                            Optional<ConversationId> group = Optional.ofNullable(groupBytes).map(ConversationId::new);
                            if ((change == Change.GROUP_MESSAGE) != group.isPresent()) {
                                throw new IllegalArgumentException("a group row names no group, or another one does");
                            }
                            out.add(new Row(r.getLong(1), r.getLong(2), UserId.parse(r.getString(3)), id, change,
                                    group));
                        } catch (InvalidUserIdException | IllegalArgumentException e) {
                            broken.add(r.getLong(1));
                        }
                    }
                }
            }
            return out;
        });
        if (!broken.isEmpty()) {
            delete(broken);
        }
        return rows;
    }

    /** Drops rows; inside a journal append's transaction this joins it. */
    void delete(List<Long> rowIds) throws StorageException {
        database.transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM history_outbox WHERE id = ?")) {
                for (long rowId : rowIds) {
                    delete.setLong(1, rowId);
                    delete.addBatch();
                }
                delete.executeBatch();
                return null;
            }
        });
    }
}
