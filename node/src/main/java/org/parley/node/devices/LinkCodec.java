package org.parley.node.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.parley.chat.group.GroupLog;
import org.parley.chat.wire.ChatContent;
import org.parley.libp2p.core.PeerFaultException;

/**
 * Reads and writes {@link LinkMessage}s: {@code u8 type ‖ u32 length ‖ body}, every length
 * checked before anything is allocated. A grant's body is its proof and then JSON. Stateless.
 */
public final class LinkCodec {

    /**
     * A grant: the key pair, the list, up to {@link LinkGrant#MAX_CONTACTS} contacts of a few
     * hundred bytes, and groups' operations up to {@link LinkGrant#MAX_GROUP_OP_BYTES_TOTAL} as base64.
     */
    public static final int MAX_GRANT_BYTES = 16 << 20;

    /** A group id: 16 bytes as hex. */
    static final int GROUP_ID_HEX_CHARS = 32;

    /** Every other message is a few dozen bytes. */
    static final int MAX_SMALL_BYTES = 64;

    /** The history key's size: 256 bits. */
    public static final int HISTORY_KEY_BYTES = 32;

    /** libsignal's serialized identity key pair is two protobuf fields of 33 and 32 bytes; this leaves room. */
    static final int MAX_KEY_PAIR_BYTES = 256;

    private static final int HELLO = 1;
    private static final int CHALLENGE = 2;
    private static final int PROOF = 3;
    private static final int GRANTED = 4;
    private static final int REFUSED = 5;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LinkCodec() {}

    /** The message's bytes, with type and length. */
    public static byte[] encode(LinkMessage message) {
        int type;
        byte[] body;
        switch (message) {
            case LinkMessage.Hello h -> {
                type = HELLO;
                body = ByteBuffer.allocate(h.codeId().length + h.nonce().length).put(h.codeId()).put(h.nonce()).array();
            }
            case LinkMessage.Challenge c -> {
                type = CHALLENGE;
                body = c.nonce().clone();
            }
            case LinkMessage.Proof p -> {
                type = PROOF;
                body = p.mac().clone();
            }
            case LinkMessage.Granted g -> {
                type = GRANTED;
                byte[] json;
                try {
                    json = JSON.writeValueAsBytes(g.grant());
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("a grant always serializes", e);
                }
                body = ByteBuffer.allocate(g.mac().length + json.length).put(g.mac()).put(json).array();
            }
            case LinkMessage.Refused r -> {
                type = REFUSED;
                body = new byte[] {(byte) r.reason().wire()};
            }
        }
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(body.length).put(body).array();
    }

    /** Writes one message and flushes. */
    public static void write(OutputStream out, LinkMessage message) throws IOException {
        out.write(encode(message));
        out.flush();
    }

    /**
     * Reads one message.
     *
     * @throws PeerFaultException for a malformed one
     * @throws EOFException if the stream ends first
     */
    public static LinkMessage read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int type;
        int length;
        try {
            type = data.readUnsignedByte();
            length = data.readInt();
        } catch (EOFException e) {
            throw new EOFException("a link message ends inside its header");
        }
        checkLength(type, length);
        byte[] body = data.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("a link message ends after " + body.length + " of " + length + " bytes");
        }
        return decodeBody(type, body);
    }

    /**
     * Decodes one whole message.
     *
     * @throws PeerFaultException for a malformed one, or one with bytes after its end
     */
    public static LinkMessage decode(byte[] bytes) throws PeerFaultException {
        if (bytes.length < 5) {
            throw new PeerFaultException("a link message has a 5-byte header; got " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int type = Byte.toUnsignedInt(in.get());
        int length = in.getInt();
        checkLength(type, length);
        if (length != in.remaining()) {
            throw new PeerFaultException("a link message says " + length + " bytes and has " + in.remaining());
        }
        return decodeBody(type, Arrays.copyOfRange(bytes, 5, bytes.length));
    }

    private static void checkLength(int type, int length) throws PeerFaultException {
        int max = type == GRANTED ? MAX_GRANT_BYTES : MAX_SMALL_BYTES;
        if (length < 0 || length > max) {
            throw new PeerFaultException("a link message of type " + type + " has " + Integer.toUnsignedString(length)
                    + " bytes; at most " + max);
        }
    }

    private static LinkMessage decodeBody(int type, byte[] body) throws PeerFaultException {
        return switch (type) {
            case HELLO -> {
                exact(body, LinkCode.ID_BYTES + LinkProof.NONCE_BYTES, "hello");
                yield new LinkMessage.Hello(Arrays.copyOf(body, LinkCode.ID_BYTES),
                        Arrays.copyOfRange(body, LinkCode.ID_BYTES, body.length));
            }
            case CHALLENGE -> {
                exact(body, LinkProof.NONCE_BYTES, "challenge");
                yield new LinkMessage.Challenge(body);
            }
            case PROOF -> {
                exact(body, LinkProof.BYTES, "proof");
                yield new LinkMessage.Proof(body);
            }
            case GRANTED -> {
                if (body.length < LinkProof.BYTES) {
                    throw new PeerFaultException("a link grant is shorter than its proof");
                }
                LinkGrant grant = grant(Arrays.copyOfRange(body, LinkProof.BYTES, body.length));
                yield new LinkMessage.Granted(Arrays.copyOf(body, LinkProof.BYTES), grant);
            }
            case REFUSED -> {
                exact(body, 1, "refusal");
                LinkException.Reason reason = LinkException.Reason.ofWire(Byte.toUnsignedInt(body[0]))
                        .orElseThrow(() -> new PeerFaultException("a link refusal names unknown reason " + body[0]));
                yield new LinkMessage.Refused(reason);
            }
            default -> throw new PeerFaultException("unknown link message type " + type);
        };
    }

    private static LinkGrant grant(byte[] json) throws PeerFaultException {
        LinkGrant grant;
        try {
            grant = JSON.readValue(json, LinkGrant.class);
        } catch (IOException e) {
            throw new PeerFaultException("a link grant is not valid JSON of a grant");
        }
        if (grant == null || grant.identityKeyPair() == null || grant.identityKeyPair().length == 0
                || grant.identityKeyPair().length > MAX_KEY_PAIR_BYTES) {
            throw new PeerFaultException("a link grant carries no usable identity key pair");
        }
        if (grant.historyKey() == null || grant.historyKey().length != HISTORY_KEY_BYTES) {
            throw new PeerFaultException("a link grant's history key has " + HISTORY_KEY_BYTES + " bytes");
        }
        if (grant.historyKeyGeneration() < 1) {
            throw new PeerFaultException("a link grant's history key generation starts at 1");
        }
        if (grant.deviceList() == null || grant.deviceList().length > SignedDeviceList.MAX_BYTES) {
            throw new PeerFaultException("a link grant carries no usable device list");
        }
        if (grant.deviceNumber() < 2) {
            throw new PeerFaultException("a linked device's number is 2 or more; got " + grant.deviceNumber());
        }
        if (grant.contacts().size() > LinkGrant.MAX_CONTACTS) {
            throw new PeerFaultException("a link grant carries more than " + LinkGrant.MAX_CONTACTS + " contacts");
        }
        for (LinkGrant.LinkedContact c : grant.contacts()) {
            if (c == null || c.userId() == null || c.state() == null) {
                throw new PeerFaultException("a link grant's contact has no user ID or state");
            }
        }
        checkGroups(grant);
        return grant;
    }

    private static void checkGroups(LinkGrant grant) throws PeerFaultException {
        if (grant.groups().size() > LinkGrant.MAX_GROUPS) {
            throw new PeerFaultException("a link grant carries more than " + LinkGrant.MAX_GROUPS + " groups");
        }
        long total = 0;
        for (LinkGrant.LinkedGroup g : grant.groups()) {
            if (g == null || g.id() == null || g.id().length() != GROUP_ID_HEX_CHARS || g.membership() == null) {
                throw new PeerFaultException("a link grant's group has no " + GROUP_ID_HEX_CHARS
                        + "-digit id or no membership");
            }
            if (g.ops().isEmpty() || g.ops().size() > GroupLog.MAX_OPS) {
                throw new PeerFaultException("a link grant's group has 1 to " + GroupLog.MAX_OPS + " operations, not "
                        + g.ops().size());
            }
            for (byte[] op : g.ops()) {
                if (op == null || op.length == 0 || op.length > ChatContent.MAX_GROUP_OP_BYTES) {
                    throw new PeerFaultException("a link grant's group operation has 1 to "
                            + ChatContent.MAX_GROUP_OP_BYTES + " bytes");
                }
                total += op.length;
            }
        }
        if (total > LinkGrant.MAX_GROUP_OP_BYTES_TOTAL) {
            throw new PeerFaultException("a link grant's groups hold more than " + LinkGrant.MAX_GROUP_OP_BYTES_TOTAL
                    + " bytes of operations");
        }
    }

    private static void exact(byte[] body, int length, String what) throws PeerFaultException {
        if (body.length != length) {
            throw new PeerFaultException("a link " + what + " has " + length + " bytes; got " + body.length);
        }
    }
}
