package org.parley.chat.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.parley.chat.wire.PrekeyBundleMessage;
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
 * {@link ChatStores} in memory, for tests and benchmarks. Records are kept serialized, as a
 * database keeps them, so {@link #snapshot()} is a true copy of the state at that moment (what an
 * attacker who copied the data dir would hold). Not thread safe.
 */
public final class InMemoryChatStores implements ChatStores {

    private final byte[] identityKeyPair;
    private final int registrationId;
    private final int deviceId;
    private final Map<String, byte[]> identities = new HashMap<>();
    private final Map<String, byte[]> sessions = new HashMap<>();
    private final TreeMap<Integer, byte[]> preKeys = new TreeMap<>();
    private final TreeMap<Integer, byte[]> signedPreKeys = new TreeMap<>();
    private final TreeMap<Integer, byte[]> kyberPreKeys = new TreeMap<>();
    private final Map<String, byte[]> senderKeys = new HashMap<>();
    private final Map<PrekeyKind, TreeSet<Integer>> offered = new EnumMap<>(PrekeyKind.class);
    private final Map<PrekeyKind, Integer> nextIds = new EnumMap<>(PrekeyKind.class);

    public InMemoryChatStores(IdentityKeyPair identity, int registrationId, int deviceId) {
        this.identityKeyPair = identity.serialize();
        this.registrationId = registrationId;
        this.deviceId = deviceId;
        for (PrekeyKind k : PrekeyKind.values()) {
            offered.put(k, new TreeSet<>());
            nextIds.put(k, 1);
        }
    }

    /** A copy of everything stored now; later changes to either do not reach the other. */
    public InMemoryChatStores snapshot() {
        InMemoryChatStores copy;
        try {
            copy = new InMemoryChatStores(new IdentityKeyPair(identityKeyPair), registrationId, deviceId);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("our own identity key pair no longer parses", e);
        }
        copy.identities.putAll(identities);
        copy.sessions.putAll(sessions);
        copy.preKeys.putAll(preKeys);
        copy.signedPreKeys.putAll(signedPreKeys);
        copy.kyberPreKeys.putAll(kyberPreKeys);
        copy.senderKeys.putAll(senderKeys);
        offered.forEach((k, v) -> copy.offered.put(k, new TreeSet<>(v)));
        copy.nextIds.putAll(nextIds);
        return copy;
    }

    private static String key(SignalProtocolAddress address) {
        return address.getName() + "." + address.getDeviceId();
    }

    // --- IdentityKeyStore

    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        try {
            return new IdentityKeyPair(identityKeyPair);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("our own identity key pair no longer parses", e);
        }
    }

    @Override
    public int getLocalRegistrationId() {
        return registrationId;
    }

    @Override
    public IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey identityKey) {
        byte[] previous = identities.put(key(address), identityKey.serialize());
        return previous == null || Arrays.equals(previous, identityKey.serialize())
                ? IdentityChange.NEW_OR_UNCHANGED : IdentityChange.REPLACED_EXISTING;
    }

    @Override
    public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey identityKey, Direction direction) {
        if (!ChatStores.keyMatchesAddress(address, identityKey)) {
            return false;
        }
        byte[] saved = identities.get(key(address));
        return saved == null || Arrays.equals(saved, identityKey.serialize());
    }

    @Override
    public IdentityKey getIdentity(SignalProtocolAddress address) {
        byte[] saved = identities.get(key(address));
        try {
            return saved == null ? null : new IdentityKey(saved);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a stored identity key no longer parses", e);
        }
    }

    // --- SessionStore

    @Override
    public SessionRecord loadSession(SignalProtocolAddress address) {
        byte[] record = sessions.get(key(address));
        try {
            return record == null ? null : new SessionRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored session no longer parses", e);
        }
    }

    @Override
    public List<Integer> getSubDeviceSessions(String name) {
        List<Integer> out = new ArrayList<>();
        for (String k : sessions.keySet()) {
            int dot = k.lastIndexOf('.');
            if (k.substring(0, dot).equals(name)) {
                int device = Integer.parseInt(k.substring(dot + 1));
                if (device != 1) {
                    out.add(device);
                }
            }
        }
        return out;
    }

    @Override
    public void storeSession(SignalProtocolAddress address, SessionRecord record) {
        sessions.put(key(address), record.serialize());
    }

    @Override
    public boolean containsSession(SignalProtocolAddress address) {
        return sessions.containsKey(key(address));
    }

    @Override
    public void deleteSession(SignalProtocolAddress address) {
        sessions.remove(key(address));
    }

    @Override
    public void deleteAllSessions(String name) {
        sessions.keySet().removeIf(k -> k.substring(0, k.lastIndexOf('.')).equals(name));
    }

    // --- PreKeyStore

    @Override
    public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyIdException {
        byte[] record = preKeys.get(preKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no one-time prekey " + preKeyId);
        }
        try {
            return new PreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored prekey no longer parses", e);
        }
    }

    @Override
    public void storePreKey(int preKeyId, PreKeyRecord record) {
        preKeys.put(preKeyId, record.serialize());
    }

    @Override
    public boolean containsPreKey(int preKeyId) {
        return preKeys.containsKey(preKeyId);
    }

    @Override
    public void removePreKey(int preKeyId) {
        preKeys.remove(preKeyId);
        offered.get(PrekeyKind.ONE_TIME_EC).remove(preKeyId);
    }

    // --- SignedPreKeyStore

    @Override
    public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyIdException {
        byte[] record = signedPreKeys.get(signedPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no signed prekey " + signedPreKeyId);
        }
        try {
            return new SignedPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored signed prekey no longer parses", e);
        }
    }

    @Override
    public List<SignedPreKeyRecord> loadSignedPreKeys() {
        List<SignedPreKeyRecord> out = new ArrayList<>();
        for (int id : signedPreKeys.keySet()) {
            try {
                out.add(loadSignedPreKey(id));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
        signedPreKeys.put(signedPreKeyId, record.serialize());
    }

    @Override
    public boolean containsSignedPreKey(int signedPreKeyId) {
        return signedPreKeys.containsKey(signedPreKeyId);
    }

    @Override
    public void removeSignedPreKey(int signedPreKeyId) {
        signedPreKeys.remove(signedPreKeyId);
    }

    // --- KyberPreKeyStore

    @Override
    public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyIdException {
        byte[] record = kyberPreKeys.get(kyberPreKeyId);
        if (record == null) {
            throw new InvalidKeyIdException("no Kyber prekey " + kyberPreKeyId);
        }
        try {
            return new KyberPreKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored Kyber prekey no longer parses", e);
        }
    }

    @Override
    public List<KyberPreKeyRecord> loadKyberPreKeys() {
        List<KyberPreKeyRecord> out = new ArrayList<>();
        for (int id : kyberPreKeys.keySet()) {
            try {
                out.add(loadKyberPreKey(id));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
        kyberPreKeys.put(kyberPreKeyId, record.serialize());
    }

    @Override
    public boolean containsKyberPreKey(int kyberPreKeyId) {
        return kyberPreKeys.containsKey(kyberPreKeyId);
    }

    /** All our Kyber prekeys are one-time: used means deleted, so a replayed first message finds no key. */
    @Override
    public void markKyberPreKeyUsed(int kyberPreKeyId, int signedPreKeyId, ECPublicKey baseKey) {
        kyberPreKeys.remove(kyberPreKeyId);
        offered.get(PrekeyKind.KYBER).remove(kyberPreKeyId);
    }

    // --- SenderKeyStore

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        senderKeys.put(key(sender) + "/" + distributionId, record.serialize());
    }

    @Override
    public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        byte[] record = senderKeys.get(key(sender) + "/" + distributionId);
        try {
            return record == null ? null : new SenderKeyRecord(record);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored sender key no longer parses", e);
        }
    }

    // --- ChatStores

    @Override
    public int localDeviceId() {
        return deviceId;
    }

    @Override
    public int allocatePrekeyIds(PrekeyKind kind, int count) {
        int first = nextIds.get(kind);
        if (first + count - 1 > PrekeyBundleMessage.MAX_PREKEY_ID) {
            first = 1;
        }
        nextIds.put(kind, first + count);
        return first;
    }

    @Override
    public List<Integer> unofferedPrekeyIds(PrekeyKind kind) {
        TreeMap<Integer, byte[]> stored = switch (kind) {
            case ONE_TIME_EC -> preKeys;
            case KYBER -> kyberPreKeys;
            case SIGNED -> throw new IllegalArgumentException("signed prekeys are not offered once");
        };
        List<Integer> out = new ArrayList<>();
        for (int id : stored.keySet()) {
            if (!offered.get(kind).contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public void markPrekeyOffered(PrekeyKind kind, int id) {
        offered.get(kind).add(id);
    }

    @Override
    public List<Integer> loadPreKeyIds() {
        return List.copyOf(preKeys.keySet());
    }
}
