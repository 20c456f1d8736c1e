package org.parley.libp2p.bench;

import java.util.Locale;

/**
 * Parses and prints byte counts for the benchmark's options: {@code 1GiB}, {@code 256MiB},
 * {@code 64KiB}, or a plain number of bytes. Binary suffixes only, so "MiB" never means 10^6.
 * Stateless.
 */
final class ByteSize {

    private ByteSize() {}

    static long parse(String text) {
        String t = text.trim();
        long unit = 1;
        if (t.endsWith("GiB")) {
            unit = 1L << 30;
        } else if (t.endsWith("MiB")) {
            unit = 1L << 20;
        } else if (t.endsWith("KiB")) {
            unit = 1L << 10;
        }
        String number = unit == 1 ? t : t.substring(0, t.length() - 3);
        long value;
        try {
            value = Long.parseLong(number.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a byte count; expected e.g. 1GiB, 256MiB, 64KiB or 1048576");
        }
        if (value <= 0) {
            throw new IllegalArgumentException("byte count must be positive, got '" + text + "'");
        }
        return Math.multiplyExact(value, unit);
    }

    /** {@code 1 GiB}, {@code 256 MiB}, or bytes when not a whole number of KiB. */
    static String format(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        if (bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + " KiB";
        }
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }
}
