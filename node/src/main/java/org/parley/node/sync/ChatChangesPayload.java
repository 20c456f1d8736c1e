package org.parley.node.sync;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.parley.journal.Journal;
import org.parley.journal.entry.EntryCodec;

/**
 * The sealed payload of a {@code chat.changes} journal entry: several chat changes that one
 * hand-over of the history writer made, each as the kind and payload it would have as an entry of
 * its own. One entry for a burst costs one Ed25519 signature, one seal and one row, where an
 * entry per change cost that many of each (a quarter of the CPU of a flooded chat).
 *
 * <pre>
 *  1 byte   version ({@value #VERSION})
 *  2 bytes  count n of parts (1..{@value #MAX_PARTS}), big-endian
 *  n times:
 *    1 byte   length k of the part's kind (1..{@value EntryCodec#MAX_KIND_BYTES})
 *    k bytes  the kind, UTF-8: a kind that is an entry of its own, never {@value ChatJournal#CHANGES}
 *    4 bytes  length p of the part's payload (1..what is left), big-endian
 *    p bytes  the payload, as that kind's entry holds it
 *  nothing after the last part
 * </pre>
 *
 * The whole payload is at most {@link EntryCodec#MAX_PAYLOAD_BYTES}, like any entry's.
 */
final class ChatChangesPayload {

    static final int VERSION = 1;
    /** Parts one entry holds at most: the history writer's hand-over is at most as many changes. */
    static final int MAX_PARTS = 256;
    /** Bytes an entry's payload takes besides its parts: the version and the count. */
    static final int HEADER_BYTES = 1 + 2;

    private ChatChangesPayload() {}

    /** One change as an entry of its own would hold it: its kind and plaintext payload. */
    record Part(String kind, byte[] payload) {
        Part {
            java.util.Objects.requireNonNull(kind, "kind");
            java.util.Objects.requireNonNull(payload, "payload");
        }

        /** What this part takes in a {@code chat.changes} payload. */
        int encodedBytes() {
            return 1 + kind.getBytes(StandardCharsets.UTF_8).length + 4 + payload.length;
        }
    }

    /**
     * The drafts that journal {@code parts} in order: consecutive parts share an entry while it
     * stays within {@link EntryCodec#MAX_PAYLOAD_BYTES} and {@link #MAX_PARTS}; a part alone in its
     * entry keeps its own kind, so a quiet chat's journal reads as it always did.
     *
     * @throws IllegalArgumentException if a part's payload alone is over an entry's limit
     */
    static List<Journal.Draft> pack(List<Part> parts) {
        List<Journal.Draft> drafts = new ArrayList<>();
        List<Part> group = new ArrayList<>();
        int groupBytes = HEADER_BYTES;
        for (Part part : parts) {
            if (part.payload().length > EntryCodec.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("a " + part.kind() + " change of " + part.payload().length
                        + " bytes is over an entry's " + EntryCodec.MAX_PAYLOAD_BYTES);
            }
            int bytes = part.encodedBytes();
            if (!group.isEmpty() && (group.size() == MAX_PARTS || groupBytes + bytes > EntryCodec.MAX_PAYLOAD_BYTES)) {
                drafts.add(draftOf(group));
                group = new ArrayList<>();
                groupBytes = HEADER_BYTES;
            }
            group.add(part);
            groupBytes += bytes;
        }
        if (!group.isEmpty()) {
            drafts.add(draftOf(group));
        }
        return drafts;
    }

    private static Journal.Draft draftOf(List<Part> group) {
        if (group.size() == 1) {
            return new Journal.Draft(group.getFirst().kind(), group.getFirst().payload());
        }
        return new Journal.Draft(ChatJournal.CHANGES, encode(group));
    }

    /**
     * The payload holding {@code parts}.
     *
     * @throws IllegalArgumentException for no parts, too many, a bad kind or a payload over the limit
     */
    static byte[] encode(List<Part> parts) {
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("a chat.changes entry holds 1 to " + MAX_PARTS + " parts, not "
                    + parts.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        out.write(parts.size() >>> 8);
        out.write(parts.size());
        for (Part part : parts) {
            byte[] kind = part.kind().getBytes(StandardCharsets.UTF_8);
            checkKind(kind.length, part.kind());
            if (part.payload().length == 0) {
                throw new IllegalArgumentException("a " + part.kind() + " part has an empty payload");
            }
            out.write(kind.length);
            out.writeBytes(kind);
            out.writeBytes(ByteBuffer.allocate(4).putInt(part.payload().length).array());
            out.writeBytes(part.payload());
        }
        if (out.size() > EntryCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a chat.changes payload of " + out.size() + " bytes is over "
                    + EntryCodec.MAX_PAYLOAD_BYTES);
        }
        return out.toByteArray();
    }

    /**
     * The changes an entry of {@code kind} holds: each part of a {@code chat.changes} payload, or
     * the entry itself as one part.
     *
     * @throws IllegalArgumentException for a {@code chat.changes} payload that {@link #decode} refuses
     */
    static List<Part> partsOf(String kind, byte[] payload) {
        return kind.equals(ChatJournal.CHANGES) ? decode(payload) : List.of(new Part(kind, payload));
    }

    /**
     * The parts of a payload, in order, every length checked before it is used.
     *
     * @throws IllegalArgumentException naming what is wrong, for bytes that are not such a payload
     */
    static List<Part> decode(byte[] payload) {
        if (payload.length > EntryCodec.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a chat.changes payload of " + payload.length + " bytes is over "
                    + EntryCodec.MAX_PAYLOAD_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(payload);
        if (in.remaining() < HEADER_BYTES) {
            throw new IllegalArgumentException("a chat.changes payload of " + payload.length + " bytes is cut short");
        }
        int version = Byte.toUnsignedInt(in.get());
        if (version != VERSION) {
            throw new IllegalArgumentException("a chat.changes payload of version " + version + "; this node reads "
                    + VERSION);
        }
        int count = Short.toUnsignedInt(in.getShort());
        if (count < 1 || count > MAX_PARTS) {
            throw new IllegalArgumentException("a chat.changes payload of " + count + " parts; 1 to " + MAX_PARTS
                    + " are allowed");
        }
        List<Part> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 1) {
                throw new IllegalArgumentException("part " + i + " of a chat.changes payload is cut short");
            }
            int kindBytes = Byte.toUnsignedInt(in.get());
            checkKind(kindBytes, "of part " + i);
            if (in.remaining() < kindBytes + 4) {
                throw new IllegalArgumentException("part " + i + " of a chat.changes payload is cut short");
            }
            String kind = utf8(in, kindBytes, i);
            if (kind.equals(ChatJournal.CHANGES)) {
                throw new IllegalArgumentException("part " + i + " of a chat.changes payload is one itself");
            }
            int length = in.getInt();
            if (length < 1 || length > in.remaining()) {
                throw new IllegalArgumentException("part " + i + " of a chat.changes payload claims "
                        + Integer.toUnsignedString(length) + " bytes; " + in.remaining() + " are left");
            }
            byte[] body = new byte[length];
            in.get(body);
            parts.add(new Part(kind, body));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes follow the last part of a chat.changes payload");
        }
        return parts;
    }

    private static void checkKind(int bytes, String what) {
        if (bytes < 1 || bytes > EntryCodec.MAX_KIND_BYTES) {
            throw new IllegalArgumentException("the kind " + what + " has " + bytes + " bytes; 1 to "
                    + EntryCodec.MAX_KIND_BYTES + " are allowed");
        }
    }

    private static String utf8(ByteBuffer in, int bytes, int part) {
        ByteBuffer slice = in.slice(in.position(), bytes);
        in.position(in.position() + bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the kind of part " + part + " of a chat.changes payload is not UTF-8");
        }
    }
}
