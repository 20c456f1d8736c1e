package org.parley.files.link;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.parley.files.crypto.FileKey;
import org.parley.files.manifest.ChunkSizes;
import org.parley.files.manifest.FileId;
import org.parley.files.manifest.FileNames;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.multiformats.Multibase;

/**
 * A magnet-style link to a shared file: everything needed to find, fetch and decrypt it.
 *
 * <pre>
 *   magnet:?xt=urn:parley:&lt;file id&gt;&amp;dn=&lt;name&gt;&amp;xl=&lt;size&gt;&amp;x.pe=&lt;multiaddr&gt;...&amp;x.key=&lt;key&gt;
 * </pre>
 *
 * The file id and key are base32 multibase ({@code b...}); {@code dn} is percent-encoded UTF-8;
 * {@code x.pe} (peer hints, repeatable) are multiaddrs written as they are, which standard magnet
 * parsers (npm {@code magnet-uri}) read without decoding. Whoever holds the link holds the key:
 * treat it as a secret. Immutable.
 */
public record FileLink(FileId fileId, String name, long size, List<Multiaddr> peers, FileKey key) {

    /** 8 KiB: a link with the longest name and every peer hint fits; anything longer is not ours. */
    public static final int MAX_LINK_LENGTH = 8192;
    /** 16 peer hints: enough to start a swarm; the DHT finds the rest. */
    public static final int MAX_PEER_HINTS = 16;

    /** 18 digits always fit a long (19 may not); the largest size, 64 GiB, has 11. */
    private static final int MAX_SIZE_DIGITS = 18;
    private static final String PREFIX = "magnet:?";
    private static final String URN = "urn:parley:";

    public FileLink {
        Objects.requireNonNull(fileId);
        Objects.requireNonNull(key);
        peers = List.copyOf(peers);
        String problem = FileNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (size < 1 || size > ChunkSizes.MAX_FILE_SIZE) {
            throw new IllegalArgumentException("size " + size + " is outside 1.." + ChunkSizes.MAX_FILE_SIZE);
        }
        if (peers.size() > MAX_PEER_HINTS) {
            throw new IllegalArgumentException(peers.size() + " peer hints exceed the limit of " + MAX_PEER_HINTS);
        }
    }

    /** The link text. */
    public String toUri() {
        StringBuilder out = new StringBuilder(PREFIX)
                .append("xt=").append(URN).append(fileId)
                .append("&dn=").append(percentEncode(name))
                .append("&xl=").append(size);
        for (Multiaddr peer : peers) {
            out.append("&x.pe=").append(peer);
        }
        out.append("&x.key=").append(Multibase.encodeBase32(key.bytes()));
        return out.toString();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "FileLink[" + fileId + ", " + size + " bytes, " + peers.size() + " peer hints]";
    }

    /**
     * Parses a link. Unknown parameters are ignored (magnet links carry many); the ones Parley uses
     * must appear once (x.pe up to {@link #MAX_PEER_HINTS} times).
     *
     * @throws InvalidFileLinkException saying which part is wrong and what was expected
     */
    public static FileLink parse(String text) throws InvalidFileLinkException {
        String link = text.strip();
        if (link.length() > MAX_LINK_LENGTH) {
            throw new InvalidFileLinkException("link", "the link has " + link.length() + " characters, more than " + MAX_LINK_LENGTH);
        }
        if (!link.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidFileLinkException("link", "a Parley file link starts with 'magnet:?'");
        }
        String xt = null;
        String dn = null;
        String xl = null;
        String keyText = null;
        List<Multiaddr> peers = new ArrayList<>();
        for (String param : link.substring(PREFIX.length()).split("&")) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            switch (name) {
                case "xt" -> xt = once("xt", xt, value);
                case "dn" -> dn = once("dn", dn, value);
                case "xl" -> xl = once("xl", xl, value);
                case "x.key" -> keyText = once("x.key", keyText, value);
                case "x.pe" -> {
                    if (peers.size() == MAX_PEER_HINTS) {
                        throw new InvalidFileLinkException("x.pe", "the link has more than " + MAX_PEER_HINTS + " peer hints (x.pe)");
                    }
                    peers.add(parsePeer(value));
                }
                default -> { } // other magnet parameters (tr, ws, ...) mean nothing to Parley
            }
        }
        FileId id = parseFileId(xt);
        String fileName = parseName(dn);
        long size = parseSize(xl);
        FileKey key = parseKey(keyText);
        return new FileLink(id, fileName, size, peers, key);
    }

    private static String once(String part, String previous, String value) throws InvalidFileLinkException {
        if (previous != null) {
            throw new InvalidFileLinkException(part, "the link has more than one '" + part + "'");
        }
        return value;
    }

    private static FileId parseFileId(String xt) throws InvalidFileLinkException {
        if (xt == null) {
            throw new InvalidFileLinkException("xt", "the link has no file id (xt=urn:parley:...)");
        }
        if (!xt.startsWith(URN)) {
            throw new InvalidFileLinkException("xt", "the link's xt must start with 'urn:parley:'; this is not a Parley file link");
        }
        try {
            return FileId.parse(xt.substring(URN.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLinkException("xt", "the link's file id (xt) is not valid: " + e.getMessage());
        }
    }

    private static String parseName(String dn) throws InvalidFileLinkException {
        if (dn == null) {
            throw new InvalidFileLinkException("dn", "the link has no file name (dn)");
        }
        String name = percentDecode("dn", dn);
        String problem = FileNames.problem(name);
        if (problem != null) {
            throw new InvalidFileLinkException("dn", "the link's file name (dn) cannot be used: " + problem);
        }
        return name;
    }

    private static long parseSize(String xl) throws InvalidFileLinkException {
        if (xl == null) {
            throw new InvalidFileLinkException("xl", "the link has no file size (xl)");
        }
        if (xl.isEmpty() || xl.length() > MAX_SIZE_DIGITS || !xl.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidFileLinkException("xl", "the link's file size (xl) must be a number of bytes, not '" + shorten(xl) + "'");
        }
        long size = Long.parseLong(xl);
        if (size < 1 || size > ChunkSizes.MAX_FILE_SIZE) {
            throw new InvalidFileLinkException("xl", "the link's file size (xl) must be 1 to " + ChunkSizes.MAX_FILE_SIZE + " bytes, not " + size);
        }
        return size;
    }

    private static Multiaddr parsePeer(String value) throws InvalidFileLinkException {
        String text = percentDecode("x.pe", value);
        try {
            Multiaddr address = Multiaddr.parse(text);
            if (address.peerId() == null) {
                throw new InvalidFileLinkException("x.pe", "the link's peer address (x.pe) '" + shorten(text) + "' must end in /p2p/<peer id>");
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLinkException("x.pe", "the link's peer address (x.pe) '" + shorten(text) + "' is not a multiaddr: " + e.getMessage());
        }
    }

    private static FileKey parseKey(String text) throws InvalidFileLinkException {
        if (text == null) {
            throw new InvalidFileLinkException("x.key", "the link has no key (x.key); ask the sender for the whole link");
        }
        byte[] bytes;
        try {
            if (text.isEmpty() || text.charAt(0) != 'b') {
                throw new IllegalArgumentException("it must be base32 text starting with 'b'");
            }
            bytes = Multibase.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLinkException("x.key", "the link's key (x.key) is not valid: " + e.getMessage());
        }
        if (bytes.length != FileKey.BYTES) {
            throw new InvalidFileLinkException("x.key", "the link's key (x.key) has " + bytes.length + " bytes, expected " + FileKey.BYTES);
        }
        return FileKey.of(bytes);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** RFC 3986 unreserved characters stay, every other UTF-8 byte becomes %XX (so a space is %20). */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes %XX sequences and '+' (a space, as magnet links write it) into UTF-8 text. */
    static String percentDecode(String part, String s) throws InvalidFileLinkException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidFileLinkException(part, "the link's " + part + " has a '%' not followed by two hex digits");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidFileLinkException(part, "the link's " + part + " is not valid UTF-8 once decoded");
        }
    }
}
