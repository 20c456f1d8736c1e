package org.parley.chat.identity;

import java.util.Arrays;
import java.util.HexFormat;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/**
 * A user's shareable ID: the public half of their libsignal identity key, written as one
 * Bech32m token such as {@code parley1q...} (66 characters) that survives copy and paste through
 * URLs, shells and markdown, and whose checksum catches a typo before anything goes on the wire.
 *
 * <pre>
 *   text  = "parley" "1" word(version) words(key) checksum(6 words)
 *   version = 0                      one 5-bit word
 *   key     = 32-byte Curve25519 public key (libsignal's serialized form without its 0x05 type byte)
 * </pre>
 *
 * Immutable and thread safe. Equal IDs have equal keys.
 */
public final class UserId {

    /** The human-readable part: tells people (and parsers) what kind of token this is. */
    public static final String HRP = "parley";

    /** The only format version so far; a new key type or layout gets a new one. */
    public static final int VERSION = 0;

    /** A Curve25519 public key is 32 bytes. */
    public static final int KEY_BYTES = 32;

    /** libsignal's type byte in front of a serialized Curve25519 public key (DJB_TYPE). */
    public static final byte KEY_TYPE_DJB = 0x05;

    /** The length of every version-0 ID: "parley1", the version word, 52 key words, 6 checksum words. */
    public static final int TEXT_LENGTH = HRP.length() + 1 + 1 + (KEY_BYTES * 8 + 4) / 5 + Bech32m.CHECKSUM_LENGTH;

    private final byte[] key;
    private final String text;

    private UserId(byte[] key) {
        this.key = key;
        byte[] keyWords = Bech32m.toWords(key);
        byte[] words = new byte[1 + keyWords.length];
        words[0] = VERSION;
        System.arraycopy(keyWords, 0, words, 1, keyWords.length);
        this.text = Bech32m.encode(HRP, words);
    }

    /** The ID of the 32-byte Curve25519 public key {@code key}. */
    public static UserId fromPublicKeyBytes(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an identity public key is " + KEY_BYTES + " bytes, not " + key.length);
        }
        return new UserId(key.clone());
    }

    /** The ID of a libsignal identity key. */
    public static UserId of(IdentityKey identityKey) {
        return fromPublicKeyBytes(identityKey.getPublicKey().getPublicKeyBytes());
    }

    /**
     * The ID of a serialized libsignal identity key ({@code 0x05 ‖ 32 bytes}), as carried in frames
     * and prekey messages.
     *
     * @throws IllegalArgumentException if it is not 33 bytes starting with {@code 0x05}
     */
    public static UserId fromSerializedKey(byte[] serialized) {
        if (serialized.length != KEY_BYTES + 1 || serialized[0] != KEY_TYPE_DJB) {
            throw new IllegalArgumentException("a serialized identity key is " + (KEY_BYTES + 1)
                    + " bytes starting with 0x05, not " + serialized.length + " bytes"
                    + (serialized.length > 0 ? " starting with 0x" + HexFormat.of().toHexDigits(serialized[0]) : ""));
        }
        return new UserId(Arrays.copyOfRange(serialized, 1, serialized.length));
    }

    /**
     * Reads an ID as a person typed or pasted it; surrounding white space is ignored, and upper
     * case is accepted (Bech32m allows it, and QR codes use it).
     *
     * @throws InvalidUserIdException with a message for that person: a typo (checksum), not an ID
     *     at all, or an ID of a version this Parley does not know
     */
    public static UserId parse(String text) throws InvalidUserIdException {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "the user ID is empty: paste the whole ID, which starts with " + HRP + "1");
        }
        Bech32m.Decoded decoded;
        try {
            decoded = Bech32m.decode(trimmed);
        } catch (InvalidBech32mException e) {
            if (e.reason() == InvalidBech32mException.Reason.CHECKSUM) {
                throw new InvalidUserIdException(InvalidUserIdException.Reason.TYPO,
                        "this user ID has a typo: it does not match its checksum. Compare it character by "
                                + "character with the original, or copy it again", e);
            }
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "this is not a Parley user ID: the text " + e.getMessage()
                            + ". A user ID looks like " + HRP + "1q... and is " + TEXT_LENGTH + " characters long", e);
        }
        if (!decoded.hrp().equals(HRP)) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "this is not a Parley user ID: it starts with " + decoded.hrp() + "1 instead of " + HRP + "1");
        }
        byte[] words = decoded.words();
        if (words.length == 0) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "this Parley user ID holds no key: copy the whole ID again");
        }
        if (words[0] != VERSION) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.UNSUPPORTED_VERSION,
                    "this user ID has format version " + words[0] + ", which this Parley does not know "
                            + "(it reads version " + VERSION + "): update Parley to add this contact");
        }
        byte[] key;
        try {
            key = Bech32m.fromWords(Arrays.copyOfRange(words, 1, words.length));
        } catch (InvalidBech32mException e) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "this is not a valid Parley user ID: its key " + e.getMessage(), e);
        }
        if (key.length != KEY_BYTES) {
            throw new InvalidUserIdException(InvalidUserIdException.Reason.NOT_AN_ID,
                    "this Parley user ID holds a " + key.length + "-byte key instead of " + KEY_BYTES
                            + " bytes: copy the whole ID again");
        }
        return new UserId(key);
    }

    /** The 32-byte public key. */
    public byte[] publicKeyBytes() {
        return key.clone();
    }

    /** libsignal's serialized form of the key: {@code 0x05 ‖ 32 bytes}. */
    public byte[] serializedKey() {
        byte[] out = new byte[KEY_BYTES + 1];
        out[0] = KEY_TYPE_DJB;
        System.arraycopy(key, 0, out, 1, KEY_BYTES);
        return out;
    }

    /** The libsignal identity key this ID names (loads libsignal's native library). */
    public IdentityKey identityKey() {
        try {
            return new IdentityKey(ECPublicKey.fromPublicKeyBytes(key));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a 32-byte Curve25519 key was refused by libsignal", e);
        }
    }

    /** The ID's text form, for example {@code parley1q...}. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserId u && Arrays.equals(key, u.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return text;
    }
}
