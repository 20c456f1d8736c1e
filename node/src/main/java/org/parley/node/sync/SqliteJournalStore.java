package org.parley.node.sync;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.journal.entry.EntryCodec;
import org.parley.journal.entry.EntryFormatException;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.store.ChainHead;
import org.parley.journal.store.JournalStore;
import org.parley.journal.store.VersionVector;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SqlWork;
import org.parley.node.storage.StorageException;

/**
 * The node's {@link JournalStore} on its database (table {@code journal_entries}): each append is
 * one transaction, durable in the WAL when it returns, so a crash keeps every chain contiguous.
 * The stored entries hold only sealed payloads. A database failure surfaces as an
 * {@link UncheckedIOException} around the {@link StorageException}. Thread safe.
 */
final class SqliteJournalStore implements JournalStore {

    private final NodeDatabase database;

    SqliteJournalStore(NodeDatabase database) {
        this.database = database;
    }

    @Override
    public VersionVector versionVector() {
        return read(connection -> {
            Map<PeerId, Long> heads = new HashMap<>();
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT device, max(seq) FROM journal_entries GROUP BY device");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    heads.put(peer(rs.getBytes(1)), rs.getLong(2));
                }
            }
            return new VersionVector(heads);
        });
    }

    @Override
    public ChainHead head(PeerId device) {
        return read(connection -> head(connection, device));
    }

    private static ChainHead head(Connection connection, PeerId device) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT seq, hash FROM journal_entries WHERE device = ? ORDER BY seq DESC LIMIT 1")) {
            s.setBytes(1, device.bytes());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new ChainHead(rs.getLong(1), rs.getBytes(2)) : ChainHead.NONE;
            }
        }
    }

    @Override
    public Optional<JournalEntry> get(PeerId device, long seq) {
        return read(connection -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT entry FROM journal_entries WHERE device = ? AND seq = ?")) {
                s.setBytes(1, device.bytes());
                s.setLong(2, seq);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<JournalEntry> after(PeerId device, long afterSeq, int limit) {
        return read(connection -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT entry FROM journal_entries WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                s.setBytes(1, device.bytes());
                s.setLong(2, afterSeq);
                s.setInt(3, limit);
                return entries(s);
            }
        });
    }

    @Override
    public void append(List<JournalEntry> entries) {
        append(entries, () -> { });
    }

    /**
     * Stores the entries and runs {@code alongside} in one database transaction; {@code alongside}
     * runs on this thread inside it, so its own {@link NodeDatabase#transaction} calls join it.
     */
    @Override
    public void append(List<JournalEntry> entries, Runnable alongside) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            database.transaction(connection -> {
                Map<PeerId, ChainHead> heads = new HashMap<>();
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO journal_entries"
                        + " (device, seq, hlc_millis, hlc_counter, hash, entry) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (JournalEntry e : entries) {
                        ChainHead head = heads.get(e.device());
                        if (head == null) {
                            head = head(connection, e.device());
                        }
                        if (e.seq() != head.seq() + 1 || !e.follows(head.hash())) {
                            throw new IllegalArgumentException(e + " does not extend its chain at " + head.seq());
                        }
                        heads.put(e.device(), ChainHead.of(e));
                        insert.setBytes(1, e.device().bytes());
                        insert.setLong(2, e.seq());
                        insert.setLong(3, e.hlc().physicalMillis());
                        insert.setInt(4, e.hlc().counter());
                        insert.setBytes(5, e.hash());
                        insert.setBytes(6, e.encoded());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                alongside.run();
                return null;
            });
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<JournalEntry> inDisplayOrder(long offset, int limit) {
        return read(connection -> {
            try (PreparedStatement s = connection.prepareStatement("SELECT entry FROM journal_entries"
                    + " ORDER BY hlc_millis, hlc_counter, device, seq LIMIT ? OFFSET ?")) {
                s.setInt(1, limit);
                s.setLong(2, offset);
                return entries(s);
            }
        });
    }

    @Override
    public long count() {
        return read(connection -> {
            try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM journal_entries");
                    ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private <T> T read(SqlWork<T> work) {
        try {
            return database.read(work);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JournalEntry> entries(PreparedStatement s) throws SQLException {
        List<JournalEntry> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(entry(rs.getBytes(1)));
            }
        }
        return out;
    }

    /** Rows were checked before they were written: one that no longer decodes is a damaged database. */
    private static JournalEntry entry(byte[] bytes) throws SQLException {
        try {
            return EntryCodec.decode(bytes);
        } catch (EntryFormatException e) {
            throw new SQLException("a stored journal entry no longer decodes: " + e.getMessage(), e);
        }
    }

    private static PeerId peer(byte[] bytes) throws SQLException {
        try {
            return PeerId.fromBytes(bytes);
        } catch (PeerFaultException e) {
            throw new SQLException("a stored journal device id no longer decodes: " + e.getMessage(), e);
        }
    }
}
