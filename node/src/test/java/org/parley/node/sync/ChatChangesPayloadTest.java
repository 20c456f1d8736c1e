package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.journal.Journal;
import org.parley.journal.entry.EntryCodec;

/**
 * The {@code chat.changes} payload: parts read back in order with their kinds and bytes; the
 * history writer's burst packs into as few entries as the limits allow, and a lone change keeps
 * its own kind; every malformed payload is refused with a message that names the fault.
 */
class ChatChangesPayloadTest {

    private static ChatChangesPayload.Part part(String kind, int bytes, int fill) {
        byte[] payload = new byte[bytes];
        Arrays.fill(payload, (byte) fill);
        return new ChatChangesPayload.Part(kind, payload);
    }

    @Test
    void partsReadBackInOrder() {
        List<ChatChangesPayload.Part> parts = List.of(part(ChatJournal.SENT, 300, 1), part(ChatJournal.STATE, 90, 2),
                part(ChatJournal.CONTACT, 1, 3));

        List<ChatChangesPayload.Part> read = ChatChangesPayload.decode(ChatChangesPayload.encode(parts));

        assertThat(read).hasSize(3);
        for (int i = 0; i < parts.size(); i++) {
            assertThat(read.get(i).kind()).isEqualTo(parts.get(i).kind());
            assertThat(read.get(i).payload()).isEqualTo(parts.get(i).payload());
        }
    }

    @Test
    void aBurstSharesOneEntryAndALoneChangeKeepsItsKind() {
        List<Journal.Draft> burst = ChatChangesPayload.pack(List.of(part(ChatJournal.SENT, 400, 1),
                part(ChatJournal.RECEIVED, 400, 2), part(ChatJournal.STATE, 80, 3)));
        List<Journal.Draft> lone = ChatChangesPayload.pack(List.of(part(ChatJournal.STATE, 80, 3)));

        assertThat(burst).singleElement().extracting(Journal.Draft::kind).isEqualTo(ChatJournal.CHANGES);
        assertThat(ChatChangesPayload.decode(burst.getFirst().payload())).extracting(ChatChangesPayload.Part::kind)
                .containsExactly(ChatJournal.SENT, ChatJournal.RECEIVED, ChatJournal.STATE);
        assertThat(lone).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(ChatJournal.STATE);
            assertThat(d.payload()).hasSize(80);
        });
    }

    @Test
    void packingKeepsEachEntryWithinTheLimitsAndTheOrder() {
        List<ChatChangesPayload.Part> many = new ArrayList<>();
        for (int i = 0; i < ChatChangesPayload.MAX_PARTS + 3; i++) {
            many.add(part(ChatJournal.STATE, 10, i));
        }
        // Each part alone fits, two do not: one entry each, under their own kind.
        List<ChatChangesPayload.Part> big = List.of(part(ChatJournal.SENT, EntryCodec.MAX_PAYLOAD_BYTES - 100, 1),
                part(ChatJournal.SENT, EntryCodec.MAX_PAYLOAD_BYTES - 100, 2));

        List<Journal.Draft> byCount = ChatChangesPayload.pack(many);
        List<Journal.Draft> bySize = ChatChangesPayload.pack(big);

        assertThat(byCount).extracting(Journal.Draft::kind).containsExactly(ChatJournal.CHANGES, ChatJournal.CHANGES);
        List<ChatChangesPayload.Part> unpacked = new ArrayList<>(ChatChangesPayload.decode(byCount.get(0).payload()));
        assertThat(unpacked).hasSize(ChatChangesPayload.MAX_PARTS);
        unpacked.addAll(ChatChangesPayload.decode(byCount.get(1).payload()));
        for (int i = 0; i < many.size(); i++) {
            assertThat(unpacked.get(i).payload()).as("part " + i).isEqualTo(many.get(i).payload());
        }
        assertThat(bySize).extracting(Journal.Draft::kind).containsExactly(ChatJournal.SENT, ChatJournal.SENT);
        assertThat(byCount).allSatisfy(d -> assertThat(d.payload().length).isLessThanOrEqualTo(
                EntryCodec.MAX_PAYLOAD_BYTES));
    }

    @Test
    void aChangeOverAnEntrysLimitIsRefusedByName() {
        assertThatThrownBy(() -> ChatChangesPayload.pack(List.of(part(ChatJournal.SENT,
                EntryCodec.MAX_PAYLOAD_BYTES + 1, 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chat.sent").hasMessageContaining("over an entry's");
    }

    @Test
    void malformedPayloadsAreRefusedWithTheirFault() {
        byte[] good = ChatChangesPayload.encode(List.of(part(ChatJournal.SENT, 5, 1), part(ChatJournal.STATE, 5, 2)));

        assertRefused(new byte[] {1, 0}, "cut short");
        assertRefused(withByte(good, 0, 2), "version 2");
        assertRefused(new byte[] {1, 0, 0}, "0 parts");
        assertRefused(Arrays.copyOf(good, good.length - 1), "claims 5 bytes; 4 are left");
        assertRefused(Arrays.copyOf(good, good.length + 1), "1 bytes follow the last part");
        assertRefused(withByte(good, 3, 0), "the kind of part 0 has 0 bytes");
        assertRefused(header(1, ChatJournal.CHANGES, 1), "is one itself");
        assertRefused(header(1, ChatJournal.SENT, -1), "claims 4294967295 bytes");
        assertRefused(header(1, ChatJournal.SENT, 0), "claims 0 bytes");
        byte[] notUtf8 = header(1, "ab", 1);
        notUtf8[4] = (byte) 0xC3;
        assertRefused(notUtf8, "not UTF-8");
        assertRefused(new byte[EntryCodec.MAX_PAYLOAD_BYTES + 1], "over");
    }

    private static void assertRefused(byte[] payload, String fault) {
        assertThatThrownBy(() -> ChatChangesPayload.decode(payload)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fault);
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** A payload of one part whose length field says {@code claimed}, followed by one byte. */
    private static byte[] header(int count, String kind, int claimed) {
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + 1 + k.length + 4 + 1).put((byte) 1).putShort((short) count)
                .put((byte) k.length).put(k).putInt(claimed).put((byte) 7).array();
    }
}
