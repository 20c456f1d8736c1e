package org.parley.chat.wire;

import java.util.Arrays;
import java.util.Objects;
import org.parley.chat.identity.UserId;

/**
 * One encrypted envelope on {@code /parley/chat/1.0.0}: who sent it (user and device), which kind
 * of libsignal message it is, and the ciphertext. Immutable.
 */
public record ChatFrame(UserId sender, int senderDevice, CiphertextKind kind, byte[] ciphertext) {

    /** libsignal accepts device numbers 1 to 127. */
    public static final int MAX_DEVICE_ID = 127;

    /**
     * The largest ciphertext: a padded envelope of 64 KiB plus libsignal's overhead, which is below
     * 4 KiB even for a first message (base and identity keys, a 1,568-byte Kyber-1024 ciphertext,
     * the post-quantum ratchet's share, MAC); 8 KiB leaves room for the library to grow.
     */
    public static final int MAX_CIPHERTEXT_BYTES = Padding.MAX_PADDED_BYTES + 8 * 1024;

    /** The two libsignal message kinds a pairwise session sends, with libsignal's type numbers. */
    public enum CiphertextKind {
        /** A message of an established session (libsignal's WHISPER_TYPE). */
        WHISPER(2),
        /** The first messages of a new session, carrying the PQXDH key material (PREKEY_TYPE). */
        PREKEY(3);

        private final int number;

        CiphertextKind(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        /** The kind of libsignal type {@code number}, or null. */
        public static CiphertextKind of(int number) {
            for (CiphertextKind k : values()) {
                if (k.number == number) {
                    return k;
                }
            }
            return null;
        }
    }

    public ChatFrame {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(kind, "kind");
        if (senderDevice < 1 || senderDevice > MAX_DEVICE_ID) {
            throw new IllegalArgumentException("device number " + senderDevice + " is outside 1.." + MAX_DEVICE_ID);
        }
        if (ciphertext.length == 0 || ciphertext.length > MAX_CIPHERTEXT_BYTES) {
            throw new IllegalArgumentException("a chat ciphertext has 1 to " + MAX_CIPHERTEXT_BYTES + " bytes, not "
                    + ciphertext.length);
        }
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatFrame f && sender.equals(f.sender) && senderDevice == f.senderDevice
                && kind == f.kind && Arrays.equals(ciphertext, f.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, senderDevice, kind, Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        return "ChatFrame[" + sender + "/" + senderDevice + ", " + kind + ", " + ciphertext.length + " bytes]";
    }
}
