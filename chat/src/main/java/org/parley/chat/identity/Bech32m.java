package org.parley.chat.identity;

import java.util.Arrays;
import java.util.Locale;

/**
 * The Bech32m text encoding of BIP-350 (BIP-173's Bech32 with a new checksum constant): a
 * human-readable part, the separator {@code 1}, 5-bit data words from a 32-character alphabet
 * without {@code 1 b i o}, and a 6-word BCH checksum that detects any error in up to four
 * characters. Written from the BIPs' descriptions. Stateless, thread safe.
 */
public final class Bech32m {

    /** BIP-173 caps a whole string at 90 characters; the checksum's guarantees are given for that length. */
    public static final int MAX_LENGTH = 90;

    /** The checksum is six 5-bit words. */
    public static final int CHECKSUM_LENGTH = 6;

    /** The data alphabet: word value i is the character at index i. */
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /** BIP-350: the checksum makes the polymod of the whole string equal to this (Bech32 used 1). */
    private static final int BECH32M_CONSTANT = 0x2bc830a3;

    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    /** Maps a character to its word value, or -1. */
    private static final byte[] CHARSET_REVERSE = new byte[128];

    static {
        Arrays.fill(CHARSET_REVERSE, (byte) -1);
        for (int i = 0; i < CHARSET.length(); i++) {
            CHARSET_REVERSE[CHARSET.charAt(i)] = (byte) i;
        }
    }

    /** A decoded string: its human-readable part in lower case and its data words (checksum removed). */
    public record Decoded(String hrp, byte[] words) {
        public Decoded {
            words = words.clone();
        }

        @Override
        public byte[] words() {
            return words.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Decoded d && hrp.equals(d.hrp) && Arrays.equals(words, d.words);
        }

        @Override
        public int hashCode() {
            return hrp.hashCode() * 31 + Arrays.hashCode(words);
        }

        @Override
        public String toString() {
            return "Decoded[" + hrp + ", " + words.length + " words]";
        }
    }

    private Bech32m() {}

    /**
     * Encodes {@code hrp} (lower case, US-ASCII 33..126) and 5-bit {@code words} into a lower-case string.
     *
     * @throws IllegalArgumentException if the hrp is empty or has a character outside 33..126 or in
     *     upper case, a word is above 31, or the result would exceed {@link #MAX_LENGTH}
     */
    public static String encode(String hrp, byte[] words) {
        checkHrpForEncoding(hrp);
        int length = hrp.length() + 1 + words.length + CHECKSUM_LENGTH;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("a Bech32m string of " + length + " characters exceeds the "
                    + MAX_LENGTH + "-character limit");
        }
        StringBuilder out = new StringBuilder(length).append(hrp).append('1');
        for (byte w : words) {
            if (w < 0 || w > 31) {
                throw new IllegalArgumentException("Bech32m data word " + w + " is not a 5-bit value");
            }
            out.append(CHARSET.charAt(w));
        }
        byte[] values = concat(expandHrp(hrp), words, new byte[CHECKSUM_LENGTH]);
        int mod = polymod(values) ^ BECH32M_CONSTANT;
        for (int i = 0; i < CHECKSUM_LENGTH; i++) {
            out.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return out.toString();
    }

    /**
     * Decodes a Bech32m string (all lower or all upper case).
     *
     * @throws InvalidBech32mException naming what is wrong: length, a character outside the
     *     alphabet (with its position), mixed case, a missing separator or hrp, or a checksum mismatch
     */
    public static Decoded decode(String text) throws InvalidBech32mException {
        if (text.length() > MAX_LENGTH) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.TOO_LONG,
                    "is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                throw new InvalidBech32mException(InvalidBech32mException.Reason.BAD_CHARACTER,
                        "has a character outside printable US-ASCII (code " + (int) c + ") at position " + (i + 1));
            }
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
        }
        if (lower && upper) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.MIXED_CASE,
                    "mixes upper- and lower-case letters");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int separator = s.lastIndexOf('1');
        if (separator < 0) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.NO_SEPARATOR,
                    "has no separator '1'");
        }
        if (separator == 0) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.EMPTY_PREFIX,
                    "has nothing before its separator '1'");
        }
        int dataLength = s.length() - separator - 1;
        if (dataLength < CHECKSUM_LENGTH) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.TOO_SHORT,
                    "has " + dataLength + " characters after its separator; the checksum alone needs "
                            + CHECKSUM_LENGTH);
        }
        byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) {
            char c = s.charAt(separator + 1 + i);
            byte v = CHARSET_REVERSE[c];
            if (v < 0) {
                throw new InvalidBech32mException(InvalidBech32mException.Reason.BAD_CHARACTER,
                        "has '" + c + "' at position " + (separator + 2 + i)
                                + ", which is not used in IDs (no 1, b, i or o after the separator)");
            }
            data[i] = v;
        }
        String hrp = s.substring(0, separator);
        if (polymod(concat(expandHrp(hrp), data, new byte[0])) != BECH32M_CONSTANT) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.CHECKSUM,
                    "does not match its checksum");
        }
        return new Decoded(hrp, Arrays.copyOf(data, dataLength - CHECKSUM_LENGTH));
    }

    /** Regroups 8-bit bytes into 5-bit words, the last one padded with zero bits. */
    public static byte[] toWords(byte[] bytes) {
        byte[] out = new byte[(bytes.length * 8 + 4) / 5];
        int acc = 0;
        int bits = 0;
        int o = 0;
        for (byte b : bytes) {
            acc = (acc << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out[o++] = (byte) ((acc >>> bits) & 31);
            }
        }
        if (bits > 0) {
            out[o] = (byte) ((acc << (5 - bits)) & 31);
        }
        return out;
    }

    /**
     * Regroups 5-bit words into bytes, as BIP-173's decoder does: at most 4 bits of padding, all zero.
     *
     * @throws InvalidBech32mException if the padding is longer than 4 bits or not zero
     */
    public static byte[] fromWords(byte[] words) throws InvalidBech32mException {
        byte[] out = new byte[words.length * 5 / 8];
        int acc = 0;
        int bits = 0;
        int o = 0;
        for (byte w : words) {
            acc = (acc << 5) | (w & 31);
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) ((acc >>> bits) & 0xff);
            }
        }
        if (bits >= 5 || (acc & ((1 << bits) - 1)) != 0) {
            throw new InvalidBech32mException(InvalidBech32mException.Reason.BAD_PADDING,
                    "ends with " + bits + " bits of padding that are not zero");
        }
        return out;
    }

    private static void checkHrpForEncoding(String hrp) {
        if (hrp.isEmpty()) {
            throw new IllegalArgumentException("a Bech32m human-readable part must not be empty");
        }
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("Bech32m human-readable part '" + hrp
                        + "' must be lower-case printable US-ASCII");
            }
        }
    }

    /** BIP-173: the high bits of each hrp character, a zero, then the low bits. */
    private static byte[] expandHrp(String hrp) {
        int n = hrp.length();
        byte[] out = new byte[2 * n + 1];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (hrp.charAt(i) >>> 5);
            out[n + 1 + i] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    /** The BCH code's remainder over GF(32), as BIP-173 defines it. */
    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
