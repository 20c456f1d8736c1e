package org.parley.node.contacts;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.StorageException;

/**
 * The {@code contact} table: contacts per local identity, a pending request's intro sealed under
 * {@code contact.intro:<identity row>/<user ID>}. Thread safe (the database serializes callers).
 */
public final class ContactStore {

    private static final String COLUMNS = "identity_id, user_id, name, display_name, state, intro, verified,"
            + " key_warning, hints, peer_id, device, conversation, created_at, updated_at";

    private final NodeDatabase database;
    private final ColumnCipher cipher;

    public ContactStore(NodeDatabase database, ColumnCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    public Optional<Contact> get(long identity, UserId user) throws StorageException {
        List<Contact> found = select(" WHERE identity_id = ? AND user_id = ?", identity, user.text());
        return found.stream().findFirst();
    }

    /** The contact whose local name is {@code name} (names are compared as typed). */
    public Optional<Contact> byName(long identity, String name) throws StorageException {
        return select(" WHERE identity_id = ? AND name = ?", identity, name).stream().findFirst();
    }

    /** Every contact of {@code identity}, oldest first. */
    public List<Contact> all(long identity) throws StorageException {
        return select(" WHERE identity_id = ? ORDER BY created_at, user_id", identity);
    }

    /** Inserts or replaces {@code contact}. */
    public void put(Contact contact) throws StorageException {
        byte[] intro = contact.intro().map(i -> cipher.seal(i.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                introContext(contact.identityRow(), contact.userId()))).orElse(null);
        database.transaction(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO contact (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                upsert.setLong(1, contact.identityRow());
                upsert.setString(2, contact.userId().text());
                upsert.setString(3, contact.name().orElse(null));
                upsert.setString(4, contact.displayName().orElse(null));
                upsert.setString(5, contact.state().wireName());
                upsert.setBytes(6, intro);
                upsert.setInt(7, contact.verified() ? 1 : 0);
                upsert.setInt(8, contact.keyWarning() ? 1 : 0);
                upsert.setString(9, String.join("\n", contact.hints().stream().map(Multiaddr::toString).toList()));
                upsert.setString(10, contact.peerId().orElse(null));
                if (contact.device().isPresent()) {
                    upsert.setInt(11, contact.device().getAsInt());
                } else {
                    upsert.setNull(11, java.sql.Types.INTEGER);
                }
                upsert.setBytes(12, contact.conversation().bytes());
                upsert.setLong(13, contact.createdAt().toEpochMilli());
                upsert.setLong(14, contact.updatedAt().toEpochMilli());
                return upsert.executeUpdate();
            }
        });
    }

    /** Forgets the contact and every message with them. */
    public boolean delete(long identity, UserId user) throws StorageException {
        return database.transaction(c -> {
            for (String sql : List.of("DELETE FROM chat_message WHERE identity_id = ? AND contact = ?",
                    "DELETE FROM chat_outbox WHERE identity_id = ? AND contact = ?")) {
                try (PreparedStatement delete = c.prepareStatement(sql)) {
                    delete.setLong(1, identity);
                    delete.setString(2, user.text());
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM contact WHERE identity_id = ? AND user_id = ?")) {
                delete.setLong(1, identity);
                delete.setString(2, user.text());
                return delete.executeUpdate() > 0;
            }
        });
    }

    private List<Contact> select(String where, Object... parameters) throws StorageException {
        record Row(Contact contact, byte[] sealedIntro) {}
        List<Row> rows = database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM contact" + where)) {
                for (int i = 0; i < parameters.length; i++) {
                    select.setObject(i + 1, parameters[i]);
                }
                List<Row> out = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        out.add(new Row(read(r), r.getBytes(6)));
                    }
                }
                return out;
            }
        });
        List<Contact> out = new ArrayList<>();
        for (Row row : rows) {
            Contact c = row.contact();
            if (row.sealedIntro() != null) {
                try {
                    String intro = new String(cipher.open(row.sealedIntro(), introContext(c.identityRow(), c.userId())),
                            java.nio.charset.StandardCharsets.UTF_8);
                    c = new Contact(c.identityRow(), c.userId(), c.name(), c.displayName(), c.state(), Optional.of(intro),
                            c.verified(), c.keyWarning(), c.hints(), c.peerId(), c.device(), c.conversation(),
                            c.createdAt(), c.updatedAt());
                } catch (SealedValueException e) {
                    throw new StorageException("the intro of contact " + c.userId() + " cannot be read: "
                            + e.getMessage(), e);
                }
            }
            out.add(c);
        }
        return out;
    }

    private static Contact read(ResultSet r) throws SQLException {
        UserId user;
        try {
            user = UserId.parse(r.getString(2));
        } catch (InvalidUserIdException e) {
            throw new SQLException("a stored contact ID does not parse: " + e.getMessage(), e);
        }
        List<Multiaddr> hints = new ArrayList<>();
        for (String line : r.getString(9).split("\n")) {
            if (!line.isEmpty()) {
                try {
                    hints.add(Multiaddr.parse(line));
                } catch (RuntimeException e) {
                    // A hint this version cannot parse is only a hint: the DHT still finds the contact.
                }
            }
        }
        int device = r.getInt(11);
        OptionalInt deviceNumber = r.wasNull() ? OptionalInt.empty() : OptionalInt.of(device);
        return new Contact(r.getLong(1), user, Optional.ofNullable(r.getString(3)), Optional.ofNullable(r.getString(4)),
                ContactState.ofWireName(r.getString(5)), Optional.empty(), r.getInt(7) != 0, r.getInt(8) != 0, hints,
                Optional.ofNullable(r.getString(10)), deviceNumber, new ConversationId(r.getBytes(12)),
                Instant.ofEpochMilli(r.getLong(13)), Instant.ofEpochMilli(r.getLong(14)));
    }

    private static String introContext(long identity, UserId user) {
        return "contact.intro:" + identity + "/" + user.text();
    }

}
