package org.parley.libp2p.noise;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.crypto.Aead;

/**
 * A Noise HandshakeState (noise spec §5.3) for the one pattern libp2p uses,
 * {@code Noise_XX_25519_ChaChaPoly_SHA256}:
 *
 * <pre>
 *   -> e                     message 1, initiator to responder
 *   <- e, ee, s, es          message 2
 *   -> s, se                 message 3, then Split
 * </pre>
 *
 * Messages here are bare Noise messages; the BE16 framing belongs to the caller.
 *
 * <p>Threading: not thread safe; one handshake, one thread at a time.
 */
final class HandshakeState {

    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    static final int MESSAGE_COUNT = 3;

    /** The keys both sides use after the handshake: one CipherState per direction. */
    record TransportCiphers(CipherState send, CipherState receive) {}

    private static final int ENCRYPTED_KEY_BYTES = X25519.KEY_BYTES + Aead.TAG_BYTES;
    /** Smallest message 1, 2 and 3: the key tokens plus an empty payload (with its tag once keyed). */
    private static final int[] MIN_MESSAGE_BYTES = {
        X25519.KEY_BYTES,
        X25519.KEY_BYTES + ENCRYPTED_KEY_BYTES + Aead.TAG_BYTES,
        ENCRYPTED_KEY_BYTES + Aead.TAG_BYTES,
    };
    private static final String[] MESSAGE_CONTENTS = {
        "ephemeral key", "ephemeral key, encrypted static key, payload tag", "encrypted static key, payload tag"};

    private final boolean initiator;
    private final SymmetricState symmetric;
    private final Aead.Factory aead;
    private final X25519.KeyPair s;
    private X25519.KeyPair e;
    private byte[] re;
    private byte[] rs;
    private int index;
    private boolean split;

    /** A handshake with a fresh random ephemeral key, generated when the pattern needs it. */
    HandshakeState(boolean initiator, X25519.KeyPair staticKey, byte[] prologue, Aead.Factory aead) {
        this(initiator, staticKey, prologue, aead, null);
    }

    private HandshakeState(boolean initiator, X25519.KeyPair staticKey, byte[] prologue, Aead.Factory aead,
            X25519.KeyPair fixedEphemeral) {
        this.initiator = initiator;
        this.s = staticKey;
        this.aead = aead;
        this.e = fixedEphemeral;
        this.symmetric = new SymmetricState(PROTOCOL_NAME, aead);
        symmetric.mixHash(prologue);
    }

    /** Test hook: a handshake whose ephemeral key is fixed, to reproduce published vectors. */
    static HandshakeState withFixedEphemeral(boolean initiator, X25519.KeyPair staticKey, byte[] prologue,
            Aead.Factory aead, X25519.KeyPair ephemeral) {
        return new HandshakeState(initiator, staticKey, prologue, aead, ephemeral);
    }

    boolean isInitiator() {
        return initiator;
    }

    /** True when the next message is ours to write. */
    boolean isMyTurn() {
        return !isComplete() && (index % 2 == 0) == initiator;
    }

    boolean isComplete() {
        return index == MESSAGE_COUNT;
    }

    /** The 1-based number of the next message, for error messages. */
    int nextMessageNumber() {
        return index + 1;
    }

    /** The smallest valid size of the next message: its key tokens and an empty payload. */
    int minNextMessageBytes() {
        if (isComplete()) {
            throw new IllegalStateException("Noise handshake is complete; no message follows");
        }
        return MIN_MESSAGE_BYTES[index];
    }

    /**
     * Writes the next message, carrying {@code payload} (encrypted from message 2 on).
     *
     * @throws PeerFaultException if the peer's ephemeral key is a low-order point
     */
    byte[] writeMessage(byte[] payload) throws PeerFaultException {
        if (!isMyTurn()) {
            throw new IllegalStateException("not our turn to write Noise message " + nextMessageNumber());
        }
        byte[] out;
        switch (index) {
            case 0 -> out = writeEphemeral();
            case 1 -> {
                byte[] ePub = writeEphemeral();
                mixKeyWithDh(e, re);
                byte[] sEnc = symmetric.encryptAndHash(s.publicKey());
                mixKeyWithDh(s, re);
                out = concat(ePub, sEnc);
            }
            case 2 -> {
                byte[] sEnc = symmetric.encryptAndHash(s.publicKey());
                mixKeyWithDh(s, re);
                out = sEnc;
            }
            default -> throw new IllegalStateException("Noise XX has only " + MESSAGE_COUNT + " messages");
        }
        out = concat(out, symmetric.encryptAndHash(payload));
        index++;
        return out;
    }

    /**
     * Reads the next message and returns its payload.
     *
     * @throws PeerFaultException if the message is too short, a key is low-order or a tag is wrong
     */
    byte[] readMessage(byte[] in, int off, int len) throws PeerFaultException {
        if (isMyTurn() || isComplete()) {
            throw new IllegalStateException("not expecting Noise message " + nextMessageNumber() + " from the peer");
        }
        int number = nextMessageNumber();
        if (len < MIN_MESSAGE_BYTES[index]) {
            throw new PeerFaultException("Noise handshake message " + number + " of " + len
                    + " bytes is shorter than the " + MIN_MESSAGE_BYTES[index] + "-byte minimum ("
                    + MESSAGE_CONTENTS[index] + ")");
        }
        int pos = off;
        int end = off + len;
        switch (index) {
            case 0 -> pos = readEphemeral(in, pos);
            case 1 -> {
                pos = readEphemeral(in, pos);
                mixKeyWithDh(e, re);
                pos = readStatic(in, pos, number);
                mixKeyWithDh(e, rs);
            }
            case 2 -> {
                pos = readStatic(in, pos, number);
                mixKeyWithDh(e, rs);
            }
            default -> throw new IllegalStateException("Noise XX has only " + MESSAGE_COUNT + " messages");
        }
        byte[] payload;
        try {
            payload = symmetric.decryptAndHash(in, pos, end - pos);
        } catch (AEADBadTagException ex) {
            throw new PeerFaultException("Noise handshake message " + number + " payload failed authentication");
        }
        index++;
        return payload;
    }

    /** The peer's static X25519 key, once message 2 (initiator) or 3 (responder) was read. */
    byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    /** The handshake hash {@code h}; after the last message it binds the whole transcript. */
    byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    byte[] chainingKey() {
        return symmetric.chainingKey();
    }

    /**
     * Split, once: the initiator sends with k1 and receives with k2, the responder the other way
     * round. Wipes the handshake's ephemeral key and chaining key.
     */
    TransportCiphers split() {
        if (!isComplete() || split) {
            throw new IllegalStateException(split ? "Noise handshake already split" : "Noise handshake is not complete");
        }
        split = true;
        byte[][] keys = symmetric.split();
        CipherState c1 = new CipherState(aead);
        CipherState c2 = new CipherState(aead);
        c1.initializeKey(keys[0]);
        c2.initializeKey(keys[1]);
        Arrays.fill(keys[0], (byte) 0);
        Arrays.fill(keys[1], (byte) 0);
        e.destroy();
        return initiator ? new TransportCiphers(c1, c2) : new TransportCiphers(c2, c1);
    }

    private byte[] writeEphemeral() {
        if (e == null) {
            e = X25519.generate();
        }
        byte[] ePub = e.publicKey();
        symmetric.mixHash(ePub);
        return ePub;
    }

    private int readEphemeral(byte[] in, int pos) {
        re = Arrays.copyOfRange(in, pos, pos + X25519.KEY_BYTES);
        symmetric.mixHash(re);
        return pos + X25519.KEY_BYTES;
    }

    private int readStatic(byte[] in, int pos, int number) throws PeerFaultException {
        int length = X25519.KEY_BYTES + symmetric.overhead();
        try {
            rs = symmetric.decryptAndHash(in, pos, length);
        } catch (AEADBadTagException ex) {
            throw new PeerFaultException("Noise handshake message " + number + " static key failed authentication");
        }
        return pos + length;
    }

    /** MixKey(DH(ours, theirs)); the shared secret is wiped right after. */
    private void mixKeyWithDh(X25519.KeyPair ours, byte[] theirs) throws PeerFaultException {
        byte[] shared = X25519.dh(ours, theirs);
        symmetric.mixKey(shared);
        Arrays.fill(shared, (byte) 0);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
