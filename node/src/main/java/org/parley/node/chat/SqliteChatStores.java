package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.parley.chat.session.ChatStores;
import org.parley.chat.session.PrekeyKind;
import org.parley.chat.wire.PrekeyBundleMessage;
import org.parley.node.identity.LocalIdentities;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.ColumnCipher;
import org.parley.node.storage.DeferredWrites;
import org.parley.node.storage.NodeDatabase;
import org.parley.node.storage.SealedValueException;
import org.parley.node.storage.SqlWork;
import org.parley.node.storage.StorageException;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;

/**
 * {@link ChatStores} of one local identity on the node database: peers' public identity keys as
 * they are, every session, prekey and sender-key record sealed by {@link ColumnCipher} with its
 * table, identity and row in the context, so a record copied to another row does not open.
 * Storage failures surface as {@link UncheckedIOException} (libsignal's interfaces declare none).
 * Not thread safe beyond what {@link ChatStores} asks: the session manager locks around it.
 */
public final class SqliteChatStores implements ChatStores {

    private final NodeDatabase database;
    private final ColumnCipher cipher;
    private final long identity;
    private final IdentityKeyPair keyPair;
    private final int registrationId;
    private final int deviceId;
    /**
     * The session records by "name.device" as last committed, serialized (empty: none stored):
     * libsignal loads and stores the session on every message, and reading it back costs a query
     * and opening the sealed value. Written through (every store still seals and writes its row);
     * an entry written or deleted in a transaction that rolls back is dropped, so the next load
     * reads the row. Only this store writes sessions, and the session manager's lock orders its
     * callers. In memory only, like the keys the sessions use.
     */
    private final java.util.Map<String, Optional<byte[]>> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    /** Peers' identity keys by "name.device", as saved (empty: none saved); see {@link #peerKey}. */
    private final java.util.Map<String, Optional<byte[]>> peerKeys = new java.util.concurrent.ConcurrentHashMap<>();

    public SqliteChatStores(NodeDatabase database, ColumnCipher cipher, LocalIdentity identity,
            IdentityKeyPair keyPair) {
        this.database = database;
        this.cipher = cipher;
        this.identity = identity.rowId();
        this.keyPair = keyPair;
        this.registrationId = identity.registrationId();
        this.deviceId = identity.deviceId();
    }

    /** The stores of identity {@code identity}, its key pair opened from the database. */
    public static SqliteChatStores open(NodeDatabase database, ColumnCipher cipher, LocalIdentity identity) {
        return new SqliteChatStores(database, cipher, identity,
                new LocalIdentities(database, cipher).keyPair(identity.rowId()));
    }

    // --- IdentityKeyStore

    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        return keyPair;
    }

    @Override
    public int getLocalRegistrationId() {
        return registrationId;
    }

    @Override
    public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey key) {
        byte[] previous = peerKey(address);
        if (Arrays.equals(previous, key.serialize())) {
            // libsignal saves the key on every message; an unchanged key costs no write.
            return IdentityChange.NEW_OR_UNCHANGED;
        }
        String cacheKey = addressKey(address);
        change(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO chat_peer_identity (identity_id, name,"
                    + " device, public_key) VALUES (?, ?, ?, ?) ON CONFLICT (identity_id, name, device)"
                    + " DO UPDATE SET public_key = excluded.public_key")) {
                bindAddress(upsert, address);
                upsert.setBytes(4, key.serialize());
                return upsert.executeUpdate();
            }
        }, () -> peerKeys.remove(cacheKey));
        peerKeys.put(cacheKey, Optional.of(key.serialize()));
        return previous == null || Arrays.equals(previous, key.serialize())
                ? IdentityChange.NEW_OR_UNCHANGED : IdentityChange.REPLACED_EXISTING;
    }

    @Override
    public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey key, Direction direction) {
        if (!ChatStores.keyMatchesAddress(address, key)) {
            return false;
        }
        byte[] saved = peerKey(address);
        return saved == null || Arrays.equals(saved, key.serialize());
    }

    @Override
    public IdentityKey getIdentity(SignalProtocolAddress address) {
        byte[] saved = peerKey(address);
        try {
            return saved == null ? null : new IdentityKey(saved);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a stored identity key of " + address + " no longer parses", e);
        }
    }

    /**
     * The peer's saved identity key. libsignal asks for it two or three times per message, and only
     * this store writes it, so it is read from the database once per address and kept.
     */
    private byte[] peerKey(SignalProtocolAddress address) {
        String key = addressKey(address);
        Optional<byte[]> cached = peerKeys.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(readPeerKey(address));
            peerKeys.put(key, cached);
        }
        return cached.orElse(null);
    }

    private byte[] readPeerKey(SignalProtocolAddress address) {
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT public_key FROM chat_peer_identity"
                    + " WHERE identity_id = ? AND name = ? AND device = ?")) {
                bindAddress(select, address);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getBytes(1) : null;
                }
            }
        });
    }

    // --- SessionStore

    @Override
    public SessionRecord loadSession(SignalProtocolAddress address) {
        byte[] record = sessionBytes(address);
        try {
            return record == null ? null : new SessionRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored session with " + address + " no longer parses", e);
        }
    }

    /** The serialized session with {@code address}, from memory or else opened from its row; null if none. */
    private byte[] sessionBytes(SignalProtocolAddress address) {
        String key = addressKey(address);
        Optional<byte[]> cached = sessions.get(key);
        if (cached == null) {
            byte[] sealed = sealedRecord("chat_session", address);
            cached = sealed == null ? Optional.empty() : Optional.of(open(sealed, sessionContext(address)));
            sessions.put(key, cached);
        }
        return cached.orElse(null);
    }

    @Override
    public List<Integer> getSubDeviceSessions(String name) {
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT device FROM chat_session"
                    + " WHERE identity_id = ? AND name = ? AND device != 1 ORDER BY device")) {
                select.setLong(1, identity);
                select.setString(2, name);
                return ints(select);
            }
        });
    }

    @Override
    public void storeSession(SignalProtocolAddress address, SessionRecord record) {
        byte[] serialized = record.serialize();
        byte[] sealed = cipher.seal(serialized, sessionContext(address));
        String key = addressKey(address);
        change(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO chat_session (identity_id, name, device,"
                    + " record) VALUES (?, ?, ?, ?) ON CONFLICT (identity_id, name, device)"
                    + " DO UPDATE SET record = excluded.record")) {
                bindAddress(upsert, address);
                upsert.setBytes(4, sealed);
                return upsert.executeUpdate();
            }
        }, () -> sessions.remove(key));
        sessions.put(key, Optional.of(serialized));
    }

    @Override
    public boolean containsSession(SignalProtocolAddress address) {
        return sessionBytes(address) != null;
    }

    @Override
    public void deleteSession(SignalProtocolAddress address) {
        String key = addressKey(address);
        change(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM chat_session WHERE identity_id = ? AND name = ? AND device = ?")) {
                bindAddress(delete, address);
                return delete.executeUpdate();
            }
        }, () -> sessions.remove(key));
        sessions.remove(key);
    }

    @Override
    public void deleteAllSessions(String name) {
        write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM chat_session WHERE identity_id = ? AND name = ?")) {
                delete.setLong(1, identity);
                delete.setString(2, name);
                delete.executeUpdate();
            }
            database.onRollback(() -> sessions.keySet().removeIf(k -> k.startsWith(name + ".")));
            sessions.keySet().removeIf(k -> k.startsWith(name + "."));
            return null;
        });
    }

    /** An address's key in the session and peer-key caches. */
    private static String addressKey(SignalProtocolAddress address) {
        return address.getName() + "." + address.getDeviceId();
    }

    private String sessionContext(SignalProtocolAddress address) {
        return "chat_session.record:" + identity + "/" + address.getName() + "." + address.getDeviceId();
    }

    // --- PreKeyStore, SignedPreKeyStore, KyberPreKeyStore

    @Override
    public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
        byte[] record = prekey(PrekeyKind.ONE_TIME_EC, preKeyId)
                .orElseThrow(() -> new InvalidKeyIdException("no one-time prekey " + preKeyId));
        try {
            return new PreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored prekey no longer parses", e);
        }
    }

    @Override
    public void storePreKey(int preKeyId, PreKeyRecord record) {
        storePrekey(PrekeyKind.ONE_TIME_EC, preKeyId, record.serialize());
    }

    @Override
    public boolean containsPreKey(int preKeyId) {
        return prekey(PrekeyKind.ONE_TIME_EC, preKeyId).isPresent();
    }

    @Override
    public void removePreKey(int preKeyId) {
        removePrekey(PrekeyKind.ONE_TIME_EC, preKeyId);
    }

    @Override
    public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
        byte[] record = prekey(PrekeyKind.SIGNED, signedPreKeyId)
                .orElseThrow(() -> new InvalidKeyIdException("no signed prekey " + signedPreKeyId));
        try {
            return new SignedPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored signed prekey no longer parses", e);
        }
    }

    @Override
    public List<SignedPreKeyRecord> loadSignedPreKeys() {
        List<SignedPreKeyRecord> out = new ArrayList<>();
        for (int id : prekeyIds(PrekeyKind.SIGNED, false)) {
            try {
                out.add(loadSignedPreKey(id));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException("a signed prekey just listed is gone", e);
            }
        }
        return out;
    }

    @Override
    public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
        storePrekey(PrekeyKind.SIGNED, signedPreKeyId, record.serialize());
    }

    @Override
    public boolean containsSignedPreKey(int signedPreKeyId) {
        return prekey(PrekeyKind.SIGNED, signedPreKeyId).isPresent();
    }

    @Override
    public void removeSignedPreKey(int signedPreKeyId) {
        removePrekey(PrekeyKind.SIGNED, signedPreKeyId);
    }

    @Override
    public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
        byte[] record = prekey(PrekeyKind.KYBER, kyberPreKeyId)
                .orElseThrow(() -> new InvalidKeyIdException("no Kyber prekey " + kyberPreKeyId));
        try {
            return new KyberPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored Kyber prekey no longer parses", e);
        }
    }

    @Override
    public List<KyberPreKeyRecord> loadKyberPreKeys() {
        List<KyberPreKeyRecord> out = new ArrayList<>();
        for (int id : prekeyIds(PrekeyKind.KYBER, false)) {
            try {
                out.add(loadKyberPreKey(id));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException("a Kyber prekey just listed is gone", e);
            }
        }
        return out;
    }

    @Override
    public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        storePrekey(PrekeyKind.KYBER, kyberPreKeyId, record.serialize());
    }

    @Override
    public boolean containsKyberPreKey(int kyberPreKeyId) {
        return prekey(PrekeyKind.KYBER, kyberPreKeyId).isPresent();
    }

    /** All our Kyber prekeys are one-time: used means deleted, so a replayed first message finds no key. */
    @Override
    public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey) {
        removePrekey(PrekeyKind.KYBER, kyberPreKeyId);
    }

    private Optional<byte[]> prekey(PrekeyKind kind, int id) {
        byte[] sealed = read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT record FROM chat_prekey WHERE identity_id = ? AND kind = ? AND key_id = ?")) {
                select.setLong(1, identity);
                select.setString(2, kindName(kind));
                select.setInt(3, id);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getBytes(1) : null;
                }
            }
        });
        return sealed == null ? Optional.empty() : Optional.of(open(sealed, prekeyContext(kind, id)));
    }

    private void storePrekey(PrekeyKind kind, int id, byte[] record) {
        byte[] sealed = cipher.seal(record, prekeyContext(kind, id));
        write(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO chat_prekey (identity_id, kind, key_id,"
                    + " record) VALUES (?, ?, ?, ?) ON CONFLICT (identity_id, kind, key_id)"
                    + " DO UPDATE SET record = excluded.record")) {
                upsert.setLong(1, identity);
                upsert.setString(2, kindName(kind));
                upsert.setInt(3, id);
                upsert.setBytes(4, sealed);
                return upsert.executeUpdate();
            }
        });
    }

    private void removePrekey(PrekeyKind kind, int id) {
        write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM chat_prekey WHERE identity_id = ? AND kind = ? AND key_id = ?")) {
                delete.setLong(1, identity);
                delete.setString(2, kindName(kind));
                delete.setInt(3, id);
                return delete.executeUpdate();
            }
        });
    }

    private List<Integer> prekeyIds(PrekeyKind kind, boolean unofferedOnly) {
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT key_id FROM chat_prekey WHERE identity_id = ?"
                    + " AND kind = ?" + (unofferedOnly ? " AND offered = 0" : "") + " ORDER BY key_id")) {
                select.setLong(1, identity);
                select.setString(2, kindName(kind));
                return ints(select);
            }
        });
    }

    private String prekeyContext(PrekeyKind kind, int id) {
        return "chat_prekey.record:" + identity + "/" + kindName(kind) + "/" + id;
    }

    private static String kindName(PrekeyKind kind) {
        return switch (kind) {
            case ONE_TIME_EC -> "ec";
            case SIGNED -> "signed";
            case KYBER -> "kyber";
        };
    }

    // --- SenderKeyStore

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        byte[] sealed = cipher.seal(record.serialize(), senderKeyContext(sender, distributionId));
        write(c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO chat_sender_key (identity_id, name, device,"
                    + " distribution_id, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (identity_id, name, device,"
                    + " distribution_id) DO UPDATE SET record = excluded.record")) {
                bindAddress(upsert, sender);
                upsert.setString(4, distributionId.toString());
                upsert.setBytes(5, sealed);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        byte[] sealed = read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT record FROM chat_sender_key WHERE identity_id = ?"
                    + " AND name = ? AND device = ? AND distribution_id = ?")) {
                bindAddress(select, sender);
                select.setString(4, distributionId.toString());
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getBytes(1) : null;
                }
            }
        });
        try {
            return sealed == null ? null : new SenderKeyRecord(open(sealed, senderKeyContext(sender, distributionId)));
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored sender key no longer parses", e);
        }
    }

    private String senderKeyContext(SignalProtocolAddress sender, UUID distributionId) {
        return "chat_sender_key.record:" + identity + "/" + sender.getName() + "." + sender.getDeviceId() + "/"
                + distributionId;
    }

    // --- ChatStores

    @Override
    public int localDeviceId() {
        return deviceId;
    }

    /**
     * Runs the libsignal call in one database transaction, entered here in Java frames (the
     * interface says why); the stores it calls back join it, and a call that throws keeps none
     * of their writes.
     */
    @Override
    public <T, E extends Exception> T atomically(Operation<T, E> operation) throws E {
        try {
            return database.transaction(c -> {
                try {
                    return operation.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CallFailed(e);
                }
            });
        } catch (CallFailed failed) {
            @SuppressWarnings("unchecked") // run() throws only E or unchecked exceptions
            E thrown = (E) failed.getCause();
            throw thrown;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a call that steps one session ({@link ChatStores#sessionStep}) with the database's lock
     * taken only to write what it stored: the session and the peer's key are read first, in Java
     * frames, so the call reads them from memory, and its writes are deferred (their cached copies
     * change at once) and committed once it returns. Inside a deferral opened by the caller (a batch
     * of frames taken together) they join that deferral instead; inside a transaction, the call
     * joins it as {@link #atomically} does. A call that throws keeps none of its writes.
     */
    @Override
    public <T, E extends Exception> T sessionStep(SignalProtocolAddress address, Operation<T, E> operation) throws E {
        if (database.inTransaction()) {
            return atomically(operation);
        }
        sessionBytes(address);
        peerKey(address);
        Optional<DeferredWrites> outer = database.deferral();
        if (outer.isPresent()) {
            return outer.get().keepIfReturns(operation::run);
        }
        try (DeferredWrites writes = database.deferWrites()) {
            T result = operation.run();
            writes.commit(c -> null);
            return result;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Carries a libsignal call's checked exception out of the transaction, which rolls back on it. */
    private static final class CallFailed extends RuntimeException {
        CallFailed(Exception cause) {
            super(cause);
        }
    }

    @Override
    public int allocatePrekeyIds(PrekeyKind kind, int count) {
        return write(c -> {
            int first = 1;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT next_id FROM chat_prekey_next_id WHERE identity_id = ? AND kind = ?")) {
                select.setLong(1, identity);
                select.setString(2, kindName(kind));
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        first = row.getInt(1);
                    }
                }
            }
            if (first + count - 1 > PrekeyBundleMessage.MAX_PREKEY_ID) {
                first = 1;
            }
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO chat_prekey_next_id (identity_id, kind,"
                    + " next_id) VALUES (?, ?, ?) ON CONFLICT (identity_id, kind) DO UPDATE SET next_id = excluded.next_id")) {
                upsert.setLong(1, identity);
                upsert.setString(2, kindName(kind));
                upsert.setInt(3, first + count);
                upsert.executeUpdate();
            }
            return first;
        });
    }

    @Override
    public List<Integer> unofferedPrekeyIds(PrekeyKind kind) {
        if (kind == PrekeyKind.SIGNED) {
            throw new IllegalArgumentException("signed prekeys are not offered once");
        }
        return prekeyIds(kind, true);
    }

    @Override
    public void markPrekeyOffered(PrekeyKind kind, int id) {
        write(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE chat_prekey SET offered = 1 WHERE identity_id = ? AND kind = ? AND key_id = ?")) {
                update.setLong(1, identity);
                update.setString(2, kindName(kind));
                update.setInt(3, id);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public List<Integer> loadPreKeyIds() {
        return prekeyIds(PrekeyKind.ONE_TIME_EC, false);
    }

    // --- helpers

    private byte[] sealedRecord(String table, SignalProtocolAddress address) {
        return read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT record FROM " + table
                    + " WHERE identity_id = ? AND name = ? AND device = ?")) {
                bindAddress(select, address);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getBytes(1) : null;
                }
            }
        });
    }

    private void bindAddress(PreparedStatement statement, SignalProtocolAddress address) throws SQLException {
        statement.setLong(1, identity);
        statement.setString(2, address.getName());
        statement.setInt(3, address.getDeviceId());
    }

    private static List<Integer> ints(PreparedStatement select) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                out.add(rows.getInt(1));
            }
        }
        return out;
    }

    private byte[] open(byte[] sealed, String context) {
        try {
            return cipher.open(sealed, context);
        } catch (SealedValueException e) {
            throw new UncheckedIOException(new StorageException("a chat record cannot be read: " + e.getMessage(), e));
        }
    }

    private <T> T read(SqlWork<T> work) {
        try {
            return database.read(work);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code sql}, whose cached copy the caller changes once this returns; {@code undo}
     * drops that copy if the write is not committed ({@link NodeDatabase#write}).
     */
    private void change(SqlWork<?> sql, Runnable undo) {
        try {
            database.write(sql, undo);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T write(SqlWork<T> work) {
        try {
            return database.transaction(work);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }
}
