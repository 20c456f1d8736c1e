package org.parley.journal.protocol.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.journal.entry.EntryCodec;
import org.parley.journal.entry.EntryFormatException;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.protocol.JournalLimits;
import org.parley.journal.store.VersionVector;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.multiformats.LengthPrefixed;
import org.parley.libp2p.peer.PeerId;

/**
 * Reads and writes {@code /parley/journal/1.0.0} messages. Each is a frame
 * {@code uvarint(length) ‖ body}; the body starts with a type byte. Big-endian:
 *
 * <pre>
 * Vector   1 | u16 n (0..256) | n × ( u8 id length | PeerId bytes | u64 head sequence >= 1 )
 *            devices in ascending PeerId byte order, each once
 * Entries  2 | u16 n (1..512) | n × ( u32 entry length | canonical entry bytes )
 * Done     3 | u8 more (0 or 1)
 * </pre>
 *
 * Every body has exactly one encoding, so a decoded message encodes back to its bytes. Stateless,
 * thread safe.
 */
public final class JournalCodec {

    static final int VECTOR = 1;
    static final int ENTRIES = 2;
    static final int DONE = 3;

    private JournalCodec() {}

    /** The bytes of {@code message}'s body (without the frame length). */
    public static byte[] encode(JournalMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (message) {
                case JournalMessage.Vector(VersionVector vector) -> {
                    out.writeByte(VECTOR);
                    out.writeShort(vector.heads().size());
                    for (var e : sorted(vector).entrySet()) {
                        byte[] id = e.getKey().bytes();
                        out.writeByte(id.length);
                        out.write(id);
                        out.writeLong(e.getValue());
                    }
                }
                case JournalMessage.Entries(List<JournalEntry> entries) -> {
                    out.writeByte(ENTRIES);
                    out.writeShort(entries.size());
                    for (JournalEntry entry : entries) {
                        out.writeInt(entry.encodedLength());
                        out.write(entry.encoded());
                    }
                }
                case JournalMessage.Done(boolean more) -> {
                    out.writeByte(DONE);
                    out.writeByte(more ? 1 : 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes one framed message; the caller flushes. */
    public static void write(OutputStream out, JournalMessage message) throws IOException {
        LengthPrefixed.write(out, encode(message));
    }

    /**
     * Reads one framed message.
     *
     * @return the message, or null if the stream ended cleanly before it
     * @throws PeerFaultException if the frame exceeds {@link JournalLimits#MAX_FRAME_BYTES} or is malformed
     * @throws java.io.EOFException if the stream ends inside a frame
     */
    public static JournalMessage read(InputStream in) throws IOException {
        byte[] body = LengthPrefixed.read(in, JournalLimits.MAX_FRAME_BYTES);
        return body == null ? null : decode(body);
    }

    /**
     * Reads one message body.
     *
     * @throws PeerFaultException if it is malformed or breaks a limit; the message says how
     */
    public static JournalMessage decode(byte[] body) throws PeerFaultException {
        if (body.length == 0) {
            throw new PeerFaultException("empty journal message");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        int type = b.get() & 0xFF;
        JournalMessage message = switch (type) {
            case VECTOR -> decodeVector(b);
            case ENTRIES -> decodeEntries(b);
            case DONE -> {
                need(b, 1, "Done");
                int more = b.get() & 0xFF;
                if (more > 1) {
                    throw new PeerFaultException("Done's more flag is " + more + "; expected 0 or 1");
                }
                yield new JournalMessage.Done(more == 1);
            }
            default -> throw new PeerFaultException("unknown journal message type " + type + "; expected 1..3");
        };
        if (b.hasRemaining()) {
            throw new PeerFaultException(b.remaining() + " bytes after the end of a journal message of type " + type);
        }
        return message;
    }

    private static JournalMessage decodeVector(ByteBuffer b) throws PeerFaultException {
        need(b, 2, "Vector's device count");
        int n = b.getShort() & 0xFFFF;
        if (n > JournalLimits.MAX_VECTOR_DEVICES) {
            throw new PeerFaultException("version vector of " + n + " devices exceeds "
                    + JournalLimits.MAX_VECTOR_DEVICES);
        }
        Map<PeerId, Long> heads = new LinkedHashMap<>();
        PeerId previous = null;
        for (int i = 0; i < n; i++) {
            need(b, 1, "Vector's device id length");
            int idLength = b.get() & 0xFF;
            if (idLength == 0 || idLength > EntryCodec.MAX_PEER_ID_BYTES) {
                throw new PeerFaultException("device id length " + idLength + " is outside 1.."
                        + EntryCodec.MAX_PEER_ID_BYTES);
            }
            need(b, idLength + 8, "Vector's device id and head");
            byte[] id = new byte[idLength];
            b.get(id);
            PeerId device = PeerId.fromBytes(id);
            long head = b.getLong();
            if (head < 1) {
                throw new PeerFaultException("device " + device + " has head " + Long.toUnsignedString(head)
                        + "; expected 1 or more");
            }
            if (previous != null && compareBytes(previous.bytes(), id) >= 0) {
                throw new PeerFaultException("version vector devices are not in ascending order at " + device);
            }
            previous = device;
            heads.put(device, head);
        }
        return new JournalMessage.Vector(new VersionVector(heads));
    }

    private static JournalMessage decodeEntries(ByteBuffer b) throws PeerFaultException {
        need(b, 2, "Entries' count");
        int n = b.getShort() & 0xFFFF;
        if (n == 0 || n > JournalLimits.MAX_BATCH_ENTRIES) {
            throw new PeerFaultException("batch of " + n + " entries is outside 1.." + JournalLimits.MAX_BATCH_ENTRIES);
        }
        List<JournalEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            need(b, 4, "entry length");
            int length = b.getInt();
            if (length < EntryCodec.MIN_ENTRY_BYTES || length > EntryCodec.MAX_ENTRY_BYTES) {
                throw new PeerFaultException("entry " + i + " of " + Integer.toUnsignedString(length)
                        + " bytes is outside " + EntryCodec.MIN_ENTRY_BYTES + ".." + EntryCodec.MAX_ENTRY_BYTES);
            }
            need(b, length, "entry");
            byte[] bytes = new byte[length];
            b.get(bytes);
            try {
                entries.add(EntryCodec.decode(bytes));
            } catch (EntryFormatException e) {
                throw new PeerFaultException("entry " + i + " of the batch: " + e.getMessage(), e);
            }
        }
        return new JournalMessage.Entries(entries);
    }

    /** Vectors are written in ascending PeerId byte order, the one canonical order. */
    private static Map<PeerId, Long> sorted(VersionVector vector) {
        List<Map.Entry<PeerId, Long>> list = new ArrayList<>(vector.heads().entrySet());
        list.sort((x, y) -> compareBytes(x.getKey().bytes(), y.getKey().bytes()));
        Map<PeerId, Long> out = new LinkedHashMap<>();
        list.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static int compareBytes(byte[] x, byte[] y) {
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static void need(ByteBuffer b, int bytes, String what) throws PeerFaultException {
        if (b.remaining() < bytes) {
            throw new PeerFaultException("journal message ends inside the " + what + ": " + b.remaining() + " of "
                    + bytes + " bytes");
        }
    }
}
