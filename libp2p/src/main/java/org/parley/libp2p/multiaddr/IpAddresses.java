package org.parley.libp2p.multiaddr;

import java.util.Arrays;

/**
 * Strict IP text forms and address classes for multiaddr values. Stateless.
 *
 * <p>Text is parsed here rather than with {@code InetAddress.getByName}, which would fall back to a
 * DNS lookup for anything that is not a literal, and accepts legacy forms ({@code 127.1}) that other
 * implementations reject.
 */
final class IpAddresses {

    static final int IP4_BYTES = 4;
    static final int IP6_BYTES = 16;
    private static final int IP6_GROUPS = 8;
    /** Bytes 0..11 of an IPv4-mapped IPv6 address: {@code ::ffff:0:0/96}. */
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};
    /** Bytes 0..11 of the NAT64 well-known prefix {@code 64:ff9b::/96} (RFC 6052). */
    private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xFF, (byte) 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};

    private IpAddresses() {}

    /** Parses a dotted quad of decimal octets without leading zeros, or returns null. */
    static byte[] parseIp4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != IP4_BYTES) {
            return null;
        }
        byte[] out = new byte[IP4_BYTES];
        for (int i = 0; i < IP4_BYTES; i++) {
            int octet = parseDecimal(parts[i], 3);
            if (octet < 0 || octet > 255 || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
                return null;
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    /** Parses RFC 4291 text (with at most one {@code ::} and an optional dotted-quad tail), or returns null. */
    static byte[] parseIp6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = gap < 0 ? parseGroups(text, true) : parseGroups(text.substring(0, gap), false);
        int[] tail = gap < 0 ? new int[0] : parseGroups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int given = head.length + tail.length;
        if (gap < 0 ? given != IP6_GROUPS : given >= IP6_GROUPS) {
            return null;
        }
        int[] groups = new int[IP6_GROUPS];
        System.arraycopy(head, 0, groups, 0, head.length);
        System.arraycopy(tail, 0, groups, IP6_GROUPS - tail.length, tail.length);
        byte[] out = new byte[IP6_BYTES];
        for (int i = 0; i < IP6_GROUPS; i++) {
            out[2 * i] = (byte) (groups[i] >>> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        return out;
    }

    /** Hex groups separated by ':'; the last may be a dotted quad (two groups) if {@code lastMayBeIp4}. */
    private static int[] parseGroups(String text, boolean lastMayBeIp4) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        boolean ip4Tail = lastMayBeIp4 && parts[parts.length - 1].contains(".");
        int[] groups = new int[parts.length + (ip4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (ip4Tail && i == parts.length - 1) {
                byte[] v4 = parseIp4(parts[i]);
                if (v4 == null) {
                    return null;
                }
                groups[i] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                groups[i + 1] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
            } else {
                String part = parts[i];
                if (part.isEmpty() || part.length() > 4) {
                    return null;
                }
                int value = 0;
                for (int c = 0; c < part.length(); c++) {
                    int digit = Character.digit(part.charAt(c), 16);
                    if (digit < 0) {
                        return null;
                    }
                    value = (value << 4) | digit;
                }
                groups[i] = value;
            }
        }
        return groups;
    }

    /** Non-negative decimal of 1..maxDigits ASCII digits, or -1. */
    static int parseDecimal(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static String formatIp4(byte[] ip) {
        return (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
    }

    /**
     * RFC 5952 text: lowercase, leading zeros dropped, the longest run of two or more zero groups
     * (the first on a tie) as {@code ::}. IPv4-mapped addresses print as {@code ::ffff:a.b.c.d}, as
     * go-multiaddr does.
     */
    static String formatIp6(byte[] ip) {
        if (isV4Mapped(ip)) {
            return "::ffff:" + formatIp4(Arrays.copyOfRange(ip, 12, 16));
        }
        int[] groups = new int[IP6_GROUPS];
        for (int i = 0; i < IP6_GROUPS; i++) {
            groups[i] = ((ip[2 * i] & 0xFF) << 8) | (ip[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < IP6_GROUPS; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < IP6_GROUPS && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < IP6_GROUPS; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    static boolean isV4Mapped(byte[] ip) {
        return ip.length == IP6_BYTES && Arrays.equals(ip, 0, 12, V4_MAPPED_PREFIX, 0, 12);
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, else the address itself. */
    static byte[] unmap(byte[] ip) {
        return isV4Mapped(ip) ? Arrays.copyOfRange(ip, 12, 16) : ip;
    }

    static boolean isLoopback(byte[] ip) {
        byte[] a = unmap(ip);
        if (a.length == IP4_BYTES) {
            return a[0] == 127;
        }
        for (int i = 0; i < IP6_BYTES - 1; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }

    /**
     * Loopback, unspecified, RFC 1918, shared (CGNAT, RFC 6598), link-local, and for IPv6 also
     * unique-local (fc00::/7) and the deprecated site-local fec0::/10: addresses that are only
     * meaningful inside one host or site.
     */
    static boolean isPrivateOrLocal(byte[] ip) {
        byte[] a = unmap(ip);
        if (a.length == IP4_BYTES) {
            int b0 = a[0] & 0xFF;
            int b1 = a[1] & 0xFF;
            return b0 == 0 // this network, 0.0.0.0/8
                    || b0 == 10
                    || b0 == 127
                    || (b0 == 100 && (b1 & 0xC0) == 64) // 100.64.0.0/10
                    || (b0 == 169 && b1 == 254)
                    || (b0 == 172 && (b1 & 0xF0) == 16)
                    || (b0 == 192 && b1 == 168);
        }
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        return isUnspecified6(a)
                || isLoopback(a)
                || (b0 & 0xFE) == 0xFC // fc00::/7
                || (b0 == 0xFE && (b1 & 0xC0) == 0x80) // fe80::/10
                || (b0 == 0xFE && (b1 & 0xC0) == 0xC0); // fec0::/10
    }

    /**
     * Globally routable unicast: not private or local, and not multicast, documentation,
     * benchmarking, reserved or discard space. NAT64 addresses are judged by the IPv4 they embed.
     */
    static boolean isPublic(byte[] ip) {
        byte[] a = unmap(ip);
        if (a.length == IP6_BYTES && Arrays.equals(a, 0, 12, NAT64_PREFIX, 0, 12)) {
            a = Arrays.copyOfRange(a, 12, 16);
        }
        if (isPrivateOrLocal(a)) {
            return false;
        }
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        int b2 = a[2] & 0xFF;
        if (a.length == IP4_BYTES) {
            return !(b0 >= 224 // multicast 224/4, reserved 240/4, broadcast
                    || (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) // IETF assignments, TEST-NET-1
                    || (b0 == 198 && (b1 & 0xFE) == 18) // benchmarking 198.18/15
                    || (b0 == 198 && b1 == 51 && b2 == 100) // TEST-NET-2
                    || (b0 == 203 && b1 == 0 && b2 == 113)); // TEST-NET-3
        }
        int b3 = a[3] & 0xFF;
        boolean discard = b0 == 0x01 && b1 == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0 && a[5] == 0
                && a[6] == 0 && a[7] == 0; // 100::/64
        return !(b0 == 0xFF // multicast
                || (b0 == 0x20 && b1 == 0x01 && b2 == 0x0D && b3 == 0xB8) // documentation 2001:db8::/32
                || discard
                || b0 == 0); // ::/8 reserved (IPv4-compatible, unspecified)
    }

    private static boolean isUnspecified6(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
