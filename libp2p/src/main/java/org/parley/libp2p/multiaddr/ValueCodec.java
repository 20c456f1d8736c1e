package org.parley.libp2p.multiaddr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Base58;
import org.parley.libp2p.multiformats.Multibase;
import org.parley.libp2p.multiformats.Multihash;
import org.parley.libp2p.peer.PeerId;

/** Transcodes one component value between its binary and text forms, and validates it. Stateless. */
final class ValueCodec {

    /** RFC 1035 caps a DNS name at 255 octets; zones and SNI names are host names too. */
    static final int MAX_NAME_BYTES = 255;
    private static final int MAX_PORT = 65535;
    private static final int MAX_PORT_DIGITS = 5;

    private ValueCodec() {}

    /** Why {@code value} is not a valid value of {@code protocol}, or null if it is. */
    static String problem(Protocol protocol, byte[] value) {
        if (protocol.sizeBits() != Protocol.VARIABLE_SIZE && value.length * 8 != protocol.sizeBits()) {
            return protocol.hasValue()
                    ? "needs " + protocol.sizeBits() / 8 + " bytes, got " + value.length
                    : "takes no value, got " + value.length + " bytes";
        }
        return switch (protocol.format()) {
            case NONE, IP4, IP6, PORT -> null;
            case NAME -> nameProblem(value);
            case PEER_ID -> {
                try {
                    PeerId.fromBytes(value);
                    yield null;
                } catch (PeerFaultException e) {
                    yield e.getMessage();
                }
            }
            case MULTIHASH -> {
                try {
                    Multihash.decode(value);
                    yield null;
                } catch (PeerFaultException e) {
                    yield e.getMessage();
                }
            }
        };
    }

    private static String nameProblem(byte[] value) {
        if (value.length == 0) {
            return "is empty";
        }
        if (value.length > MAX_NAME_BYTES) {
            return "is " + value.length + " bytes, longer than the " + MAX_NAME_BYTES + "-byte limit for a name";
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return "is not valid UTF-8";
        }
        return name.indexOf('/') >= 0 ? "contains '/'" : null;
    }

    /**
     * Converts the text form of a value.
     *
     * @throws IllegalArgumentException naming what was expected (the caller adds the address)
     */
    static byte[] fromText(Protocol protocol, String text) {
        byte[] value = switch (protocol.format()) {
            case NONE -> throw new IllegalStateException(protocol + " takes no value");
            case IP4 -> {
                byte[] ip = IpAddresses.parseIp4(text);
                if (ip == null) {
                    throw new IllegalArgumentException("expected a dotted quad such as 192.0.2.1");
                }
                yield ip;
            }
            case IP6 -> {
                byte[] ip = IpAddresses.parseIp6(text);
                if (ip == null) {
                    throw new IllegalArgumentException("expected an IPv6 address such as 2001:db8::1");
                }
                yield ip;
            }
            case PORT -> {
                int port = IpAddresses.parseDecimal(text, MAX_PORT_DIGITS);
                if (port < 0 || port > MAX_PORT) {
                    throw new IllegalArgumentException("expected a port number 0-" + MAX_PORT);
                }
                yield new byte[] {(byte) (port >>> 8), (byte) port};
            }
            case NAME -> text.getBytes(StandardCharsets.UTF_8);
            case PEER_ID -> PeerId.parse(text).bytes();
            case MULTIHASH -> Multibase.decode(text);
        };
        String problem = problem(protocol, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /** The text form of a value that passed {@link #problem}; null for protocols without a value. */
    static String toText(Protocol protocol, byte[] value) {
        return switch (protocol.format()) {
            case NONE -> null;
            case IP4 -> IpAddresses.formatIp4(value);
            case IP6 -> IpAddresses.formatIp6(value);
            case PORT -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
            case NAME -> new String(value, StandardCharsets.UTF_8);
            case PEER_ID -> Base58.encode(value);
            case MULTIHASH -> Multibase.encodeBase64Url(value);
        };
    }
}
