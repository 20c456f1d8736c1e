package org.parley.node.identity;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.chat.identity.UserId;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;

/**
 * The {@code chat_identity} table: the user identities this node holds, each private key sealed
 * by {@link ColumnCipher} under {@code chat_identity.key_pair:<user ID>}. Thread safe (the
 * database serializes its callers).
 */
public final class LocalIdentities {

    /** libsignal registration ids are 14-bit, 1..16380, as its own generator draws them. */
    static final int MAX_REGISTRATION_ID = 16380;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, user_id, registration_id, device_id, display_name, created_at, retired_at";

    private final NodeDatabase database;
    private final ColumnCipher cipher;

    public LocalIdentities(NodeDatabase database, ColumnCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    /** Stores a new identity with a random registration id; this device is number {@code deviceId} under it. */
    public LocalIdentity create(IdentityKeyPair keyPair, int deviceId, Optional<String> displayName, Instant now)
            throws StorageException {
        return create(keyPair, 1 + RANDOM.nextInt(MAX_REGISTRATION_ID), deviceId, displayName, now);
    }

    /** Stores a new identity with the given numbers. */
    public LocalIdentity create(IdentityKeyPair keyPair, int registrationId, int deviceId, Optional<String> displayName,
            Instant now) throws StorageException {
        UserId user = UserId.of(keyPair.getPublicKey());
        byte[] sealed = cipher.seal(keyPair.serialize(), keyContext(user));
        long rowId = database.transaction(connection -> {
            // RETURNING, not getGeneratedKeys: the database turns the driver's generated keys off.
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chat_identity (user_id, key_pair,"
                    + " registration_id, device_id, display_name, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, user.text());
                insert.setBytes(2, sealed);
                insert.setInt(3, registrationId);
                insert.setInt(4, deviceId);
                insert.setString(5, displayName.orElse(null));
                insert.setLong(6, now.toEpochMilli());
                try (ResultSet keys = insert.executeQuery()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new LocalIdentity(rowId, user, registrationId, deviceId, displayName, now, Optional.empty());
    }

    /** Every identity, retired ones too, oldest first. */
    public List<LocalIdentity> all() throws StorageException {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM chat_identity ORDER BY id"); ResultSet rows = select.executeQuery()) {
                List<LocalIdentity> out = new ArrayList<>();
                while (rows.next()) {
                    out.add(read(rows));
                }
                return out;
            }
        });
    }

    /** The identity stored in row {@code rowId}. */
    public Optional<LocalIdentity> byRowId(long rowId) throws StorageException {
        return all().stream().filter(i -> i.rowId() == rowId).findFirst();
    }

    /** Sets the display name of identity {@code rowId}; the caller has checked the name. */
    public void rename(long rowId, String displayName) throws StorageException {
        database.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chat_identity SET display_name = ? WHERE id = ?")) {
                update.setString(1, displayName);
                update.setLong(2, rowId);
                return update.executeUpdate();
            }
        });
    }

    /** Marks the identity retired at {@code now}; its keys stay, so old conversations still read. */
    public void retire(long rowId, Instant now) throws StorageException {
        database.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chat_identity SET retired_at = ? WHERE id = ? AND retired_at IS NULL")) {
                update.setLong(1, now.toEpochMilli());
                update.setLong(2, rowId);
                return update.executeUpdate();
            }
        });
    }

    /** The private key pair of identity {@code rowId}, opened from its sealed column. */
    public IdentityKeyPair keyPair(long rowId) {
        try {
            record Sealed(String user, byte[] value) {}
            Sealed sealed = database.read(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT user_id, key_pair FROM chat_identity WHERE id = ?")) {
                    select.setLong(1, rowId);
                    try (ResultSet row = select.executeQuery()) {
                        if (!row.next()) {
                            throw new SQLException("no identity in row " + rowId);
                        }
                        return new Sealed(row.getString(1), row.getBytes(2));
                    }
                }
            });
            return new IdentityKeyPair(cipher.open(sealed.value(), "chat_identity.key_pair:" + sealed.user()));
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        } catch (SealedValueException | InvalidKeyException e) {
            throw new UncheckedIOException(new StorageException("the key of identity " + rowId
                    + " cannot be opened: " + e.getMessage(), e));
        }
    }

    private static String keyContext(UserId user) {
        return "chat_identity.key_pair:" + user.text();
    }

    private static LocalIdentity read(ResultSet row) throws SQLException {
        long retired = row.getLong(7);
        boolean notRetired = row.wasNull();
        return new LocalIdentity(row.getLong(1), userId(row.getString(2)), row.getInt(3),
                row.getInt(4), Optional.ofNullable(row.getString(5)), Instant.ofEpochMilli(row.getLong(6)),
                notRetired ? Optional.empty() : Optional.of(Instant.ofEpochMilli(retired)));
    }

    private static UserId userId(String userIdText) throws SQLException {
        try {
            return UserId.parse(userIdText);
        } catch (org.parley.chat.identity.InvalidUserIdException e) {
            throw new SQLException("a stored user ID does not parse: " + e.getMessage(), e);
        }
    }
}
