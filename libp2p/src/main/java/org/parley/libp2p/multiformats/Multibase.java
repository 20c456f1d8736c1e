package org.parley.libp2p.multiformats;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Multibase text: one prefix character naming the base, then the data. Supports the bases
 * libp2p text forms use: {@code b} base32 lower, {@code B} base32 upper, {@code k} base36,
 * {@code z} base58btc, {@code u} base64url, {@code m} base64, {@code f} base16. Stateless, thread
 * safe.
 */
public final class Multibase {

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Multibase() {}

    /** base32 lowercase, no padding, with the {@code b} prefix (the default for CIDv1). */
    public static String encodeBase32(byte[] data) {
        StringBuilder out = new StringBuilder(1 + (data.length * 8 + 4) / 5).append('b');
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** base64url without padding, with the {@code u} prefix (how certhashes are written). */
    public static String encodeBase64Url(byte[] data) {
        return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    /** base36 lowercase with the {@code k} prefix (common for IPNS names). */
    public static String encodeBase36(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        String body = data.length == zeros ? "" : new BigInteger(1, data).toString(36);
        return "k" + "0".repeat(zeros) + body;
    }

    /**
     * Decodes multibase text.
     *
     * @throws IllegalArgumentException for an unknown prefix or a character outside the base
     */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty multibase string");
        }
        char prefix = text.charAt(0);
        String body = text.substring(1);
        try {
            return switch (prefix) {
                case 'b' -> decodeBase32(body);
                case 'B' -> decodeBase32(body.toLowerCase(java.util.Locale.ROOT));
                case 'k', 'K' -> decodeBase36(body.toLowerCase(java.util.Locale.ROOT));
                case 'z' -> Base58.decode(body);
                case 'u' -> Base64.getUrlDecoder().decode(body);
                case 'U' -> Base64.getUrlDecoder().decode(body.replace("=", ""));
                case 'm' -> Base64.getDecoder().decode(body);
                case 'M' -> Base64.getDecoder().decode(body);
                case 'f', 'F' -> HexFormat.of().parseHex(body.toLowerCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unsupported multibase prefix '" + prefix + "'");
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unsupported multibase")) {
                throw e;
            }
            throw new IllegalArgumentException("invalid multibase '" + prefix + "' text: " + e.getMessage(), e);
        }
    }

    private static byte[] decodeBase32(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '=') {
                break;
            }
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("invalid base32 character '" + c + "' at position " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static byte[] decodeBase36(String body) {
        int zeros = 0;
        while (zeros < body.length() && body.charAt(zeros) == '0') {
            zeros++;
        }
        for (int i = 0; i < body.length(); i++) {
            if (BASE36.indexOf(body.charAt(i)) < 0) {
                throw new IllegalArgumentException("invalid base36 character '" + body.charAt(i) + "' at position " + i);
            }
        }
        byte[] magnitude = zeros == body.length() ? new byte[0] : new BigInteger(body.substring(zeros), 36).toByteArray();
        int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
        return out;
    }
}
