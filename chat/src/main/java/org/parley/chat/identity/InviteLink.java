package org.parley.chat.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.libp2p.multiaddr.InvalidMultiaddrException;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * An invite: a user ID plus, as hints, the addresses of the inviting device and a display name,
 * written as a link {@code parley:invite?id=<ID>&addr=<multiaddr>&addr=...&name=<display name>}.
 * The addresses save a DHT lookup when they still work; the name is shown, never used as an
 * identifier. Values are percent-encoded (RFC 3986); unknown parameters are skipped so later
 * versions can add some. Immutable, thread safe.
 */
public record InviteLink(UserId id, List<Multiaddr> addresses, Optional<String> displayName) {

    /** The scheme and path every invite starts with. */
    public static final String PREFIX = "parley:invite?";

    /**
     * The longest link we read. A QR code holds about 2,900 bytes at its lowest error correction;
     * 2,048 leaves room for a scanner's margin and is still far above an ID, eight addresses and a name.
     */
    public static final int MAX_LINK_LENGTH = 2048;

    /** Address hints kept: a device announces a handful (one per interface and transport). */
    public static final int MAX_ADDRESSES = 8;

    /** One address hint, as text: an IPv6 or DNS address with port and PeerId fits in well under 300. */
    public static final int MAX_ADDRESS_LENGTH = 300;

    /** A display name, in Unicode code points: room for a full name, short enough for one line of UI. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Parameters of any kind, so a link of many tiny unknown parameters costs little to reject. */
    public static final int MAX_PARAMETERS = 16;

    public InviteLink {
        Objects.requireNonNull(id, "id");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(displayName, "displayName");
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an invite carries at most " + MAX_ADDRESSES + " addresses, not "
                    + addresses.size());
        }
        displayName.ifPresent(InviteLink::checkNameForEncoding);
    }

    /** The link's text. */
    public String format() {
        StringBuilder out = new StringBuilder(PREFIX).append("id=").append(id.text());
        for (Multiaddr a : addresses) {
            out.append("&addr=").append(percentEncode(a.toString()));
        }
        displayName.ifPresent(n -> out.append("&name=").append(percentEncode(n)));
        return out.toString();
    }

    /**
     * Reads an invite link as a person pasted it (surrounding white space ignored).
     *
     * @throws InvalidInviteException saying what is wrong: not an invite, too long, a missing or
     *     repeated id, an invalid ID (a typo is named as such), too many or invalid addresses, a bad
     *     name, a broken percent-escape
     */
    public static InviteLink parse(String text) throws InvalidInviteException {
        String link = text.strip();
        if (link.length() > MAX_LINK_LENGTH) {
            throw new InvalidInviteException("this invite link is " + link.length()
                    + " characters long; a Parley invite has at most " + MAX_LINK_LENGTH + ". Copy it again");
        }
        if (!link.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new InvalidInviteException("this is not a Parley invite link: it must start with " + PREFIX);
        }
        String query = link.substring(PREFIX.length());
        String[] parameters = query.isEmpty() ? new String[0] : query.split("&", MAX_PARAMETERS + 1);
        if (parameters.length > MAX_PARAMETERS) {
            throw new InvalidInviteException("this invite link has more than " + MAX_PARAMETERS
                    + " parameters; a Parley invite has an id, a few addresses and a name");
        }
        UserId id = null;
        List<Multiaddr> addresses = new ArrayList<>();
        String name = null;
        for (String parameter : parameters) {
            int eq = parameter.indexOf('=');
            String key = eq < 0 ? parameter : parameter.substring(0, eq);
            String value = eq < 0 ? "" : percentDecode(parameter.substring(eq + 1), key);
            switch (key) {
                case "id" -> {
                    if (id != null) {
                        throw new InvalidInviteException("this invite link names two user IDs; it must name one");
                    }
                    try {
                        id = UserId.parse(value);
                    } catch (InvalidUserIdException e) {
                        throw new InvalidInviteException("the ID in this invite link is not valid: " + e.getMessage(), e);
                    }
                }
                case "addr" -> addresses.add(address(value, addresses.size() + 1));
                case "name" -> {
                    if (name != null) {
                        throw new InvalidInviteException("this invite link has two names; it must have at most one");
                    }
                    name = checkName(value);
                }
                default -> {
                    // A parameter of a later version: skipped.
                }
            }
        }
        if (id == null) {
            throw new InvalidInviteException("this invite link has no id= parameter: copy the whole link again");
        }
        return new InviteLink(id, addresses, Optional.ofNullable(name));
    }

    private static Multiaddr address(String value, int position) throws InvalidInviteException {
        if (position > MAX_ADDRESSES) {
            throw new InvalidInviteException("this invite link has more than " + MAX_ADDRESSES
                    + " addresses; a Parley invite has at most " + MAX_ADDRESSES);
        }
        if (value.length() > MAX_ADDRESS_LENGTH) {
            throw new InvalidInviteException("address " + position + " in this invite link is " + value.length()
                    + " characters long; at most " + MAX_ADDRESS_LENGTH + " are allowed");
        }
        try {
            return Multiaddr.parse(value);
        } catch (InvalidMultiaddrException e) {
            throw new InvalidInviteException("address " + position + " in this invite link is not a valid address: "
                    + e.getMessage(), e);
        }
    }

    private static String checkName(String name) throws InvalidInviteException {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new InvalidInviteException("the name in this invite link " + problem);
        }
        return name;
    }

    private static void checkNameForEncoding(String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid display name: it " + problem);
        }
    }

    /** Null when {@code name} is a fine display name, else the end of a sentence saying why not. */
    private static String nameProblem(String name) {
        if (name.isBlank()) {
            return "is empty";
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME_LENGTH) {
            return "has " + length + " characters; at most " + MAX_NAME_LENGTH + " are allowed";
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return "has control characters";
        }
        return null;
    }

    /** RFC 3986 unreserved characters plus {@code / :}, which a query may hold as they are. */
    private static boolean keep(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~' || b == '/' || b == ':';
    }

    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (keep(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >>> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes %XX escapes (and '+' as a space, as HTML forms write it) into UTF-8 text. */
    static String percentDecode(String value, String parameter) throws InvalidInviteException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 1 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidInviteException("the " + parameter + " in this invite link has a broken %-escape at "
                            + "character " + (i + 1) + ": copy the whole link again");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
                    utf8 = value.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInviteException("the " + parameter + " in this invite link is not valid UTF-8 text: "
                    + "copy the whole link again", e);
        }
    }
}
