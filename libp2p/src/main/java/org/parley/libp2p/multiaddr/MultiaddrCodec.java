package org.parley.libp2p.multiaddr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.Varint;

/**
 * Converts between component lists and the binary and text forms of a multiaddr. Stateless.
 *
 * <pre>
 *   binary: component*          component = uvarint(code) ‖ value
 *           value = fixed-size bytes | uvarint(length) ‖ bytes | nothing   (per protocol)
 *   text:   ("/" name ["/" value])*
 * </pre>
 */
final class MultiaddrCodec {

    private MultiaddrCodec() {}

    static List<Multiaddr.Component> decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length == 0) {
            throw new PeerFaultException("empty multiaddr");
        }
        if (bytes.length > Multiaddr.MAX_BYTES) {
            throw new PeerFaultException(
                    "multiaddr of " + bytes.length + " bytes exceeds the " + Multiaddr.MAX_BYTES + "-byte limit");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Multiaddr.Component> components = new ArrayList<>();
        while (in.hasRemaining()) {
            long code = Varint.read(in);
            Protocol protocol = Protocol.forCode(code).orElseThrow(
                    () -> new PeerFaultException("unknown multiaddr protocol code 0x" + Long.toHexString(code)));
            long length = protocol.sizeBits() == Protocol.VARIABLE_SIZE ? Varint.read(in) : protocol.sizeBits() / 8;
            if (length > in.remaining()) {
                throw new PeerFaultException("truncated multiaddr: " + protocol + " value needs " + length
                        + " bytes but " + in.remaining() + " remain");
            }
            byte[] value = new byte[(int) length];
            in.get(value);
            String problem = ValueCodec.problem(protocol, value);
            if (problem != null) {
                throw new PeerFaultException("invalid multiaddr " + protocol + " value: " + problem);
            }
            components.add(new Multiaddr.Component(protocol, value));
        }
        return components;
    }

    static byte[] encode(List<Multiaddr.Component> components) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Multiaddr.Component c : components) {
            byte[] value = c.value();
            out.writeBytes(Varint.encode(c.protocol().code()));
            if (c.protocol().sizeBits() == Protocol.VARIABLE_SIZE) {
                out.writeBytes(Varint.encode(value.length));
            }
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** @throws InvalidMultiaddrException naming the bad part and quoting the address */
    static List<Multiaddr.Component> parse(String text) {
        if (text.length() > Multiaddr.MAX_TEXT_LENGTH) {
            throw new InvalidMultiaddrException("multiaddr text of " + text.length() + " characters exceeds the "
                    + Multiaddr.MAX_TEXT_LENGTH + "-character limit");
        }
        if (text.isEmpty() || text.equals("/")) {
            throw new InvalidMultiaddrException("empty multiaddr");
        }
        if (text.charAt(0) != '/') {
            throw new InvalidMultiaddrException("multiaddr must start with '/': " + text);
        }
        // One trailing slash is tolerated, as go-multiaddr does, because people type it.
        String body = text.endsWith("/") ? text.substring(1, text.length() - 1) : text.substring(1);
        String[] parts = body.split("/", -1);
        List<Multiaddr.Component> components = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            if (name.isEmpty()) {
                throw new InvalidMultiaddrException("empty protocol name in " + text);
            }
            Protocol protocol = Protocol.forName(name).orElseThrow(
                    () -> new InvalidMultiaddrException("unknown multiaddr protocol '" + name + "' in " + text));
            byte[] value = new byte[0];
            if (protocol.hasValue()) {
                if (i + 1 >= parts.length) {
                    throw new InvalidMultiaddrException("multiaddr protocol '" + name + "' is missing its value in " + text);
                }
                String valueText = parts[++i];
                try {
                    value = ValueCodec.fromText(protocol, valueText);
                } catch (IllegalArgumentException e) {
                    throw new InvalidMultiaddrException("invalid " + protocol + " value '" + valueText + "' in " + text
                            + ": " + e.getMessage(), e);
                }
            }
            components.add(new Multiaddr.Component(protocol, value));
        }
        return components;
    }

    static String format(List<Multiaddr.Component> components) {
        StringBuilder out = new StringBuilder();
        for (Multiaddr.Component c : components) {
            out.append('/').append(c.protocol().protocolName());
            String value = c.textValue();
            if (value != null) {
                out.append('/').append(value);
            }
        }
        return out.toString();
    }
}
