package org.parley.node.devices;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.StorageException;

/**
 * The {@code contact_device_list} table: each contact's signed device list as last verified, with
 * when it was confirmed. The caller verifies a list before it is stored here. Thread safe (the
 * database serializes its callers).
 */
public final class ContactDeviceLists {

    /** A contact's list and when it was last confirmed. */
    public record Known(SignedDeviceList list, Instant fetchedAt) {}

    private final NodeDatabase database;

    public ContactDeviceLists(NodeDatabase database) {
        this.database = database;
    }

    /** The stored list of {@code contact} under identity {@code identityRow}. */
    public Optional<Known> get(long identityRow, UserId contact) throws StorageException {
        record Row(byte[] list, long fetchedAt) {}
        Row row = database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT list, fetched_at FROM"
                    + " contact_device_list WHERE identity_id = ? AND contact = ?")) {
                select.setLong(1, identityRow);
                select.setString(2, contact.text());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? new Row(rows.getBytes(1), rows.getLong(2)) : null;
                }
            }
        });
        if (row == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Known(SignedDeviceList.decode(row.list()), Instant.ofEpochMilli(row.fetchedAt())));
        } catch (PeerFaultException e) {
            throw new StorageException("a stored device list of " + contact + " does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a verified {@code list} of {@code contact} unless a higher version is stored; an equal
     * version only refreshes the time.
     *
     * @return whether the stored version changed
     */
    public boolean putIfNotOlder(long identityRow, UserId contact, SignedDeviceList list, Instant now)
            throws StorageException {
        return database.transaction(connection -> {
            long stored = -1;
            try (PreparedStatement select = connection.prepareStatement("SELECT version FROM contact_device_list"
                    + " WHERE identity_id = ? AND contact = ?")) {
                select.setLong(1, identityRow);
                select.setString(2, contact.text());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        stored = rows.getLong(1);
                    }
                }
            }
            long version = list.list().version();
            if (version < stored) {
                return false;
            }
            try (PreparedStatement upsert = connection.prepareStatement("INSERT OR REPLACE INTO contact_device_list"
                    + " (identity_id, contact, version, list, fetched_at) VALUES (?, ?, ?, ?, ?)")) {
                upsert.setLong(1, identityRow);
                upsert.setString(2, contact.text());
                upsert.setLong(3, version);
                upsert.setBytes(4, list.encode());
                upsert.setLong(5, now.toEpochMilli());
                upsert.executeUpdate();
            }
            return version > stored;
        });
    }
}
