package org.parley.journal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.peer.PeerId;

class EntryCodecTest {

    private static final HistoryKey KEY = new HistoryKey(7, filled(32, 5));
    private final Ed25519PrivateKey deviceKey = Ed25519PrivateKey.fromSeed(filled(32, 1));
    private final EntrySigner signer = new EntrySigner(deviceKey);

    private JournalEntry first(String text) {
        return signer.sign(1, new HlcTimestamp(1_700_000_000_123L, 9), JournalEntry.NO_PREVIOUS, "chat.sent", KEY,
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEntryDecodesBackToItselfWithEveryField() throws Exception {
        JournalEntry entry = first("hello");
        JournalEntry decoded = EntryCodec.decode(entry.encoded());

        assertThat(decoded).isEqualTo(entry);
        assertThat(decoded.device()).isEqualTo(PeerId.fromPublicKey(deviceKey.publicKey()));
        assertThat(decoded.seq()).isEqualTo(1);
        assertThat(decoded.hlc()).isEqualTo(new HlcTimestamp(1_700_000_000_123L, 9));
        assertThat(decoded.kind()).isEqualTo("chat.sent");
        assertThat(decoded.keyId()).isEqualTo(7);
        assertThat(decoded.previousHash()).isEqualTo(JournalEntry.NO_PREVIOUS);
        assertThat(decoded.encoded()).isEqualTo(entry.encoded());
        assertThat(EntrySigner.signatureValid(decoded)).isTrue();
        assertThat(PayloadCipher.open(decoded, HistoryKeys.fixed(KEY))).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePayloadIsNotInTheEntryInTheClear() {
        JournalEntry entry = first("a secret only the user's devices read");
        String bytes = new String(entry.encoded(), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain("secret");
    }

    @Test
    void aFlippedByteAnywhereBreaksTheSignatureOrTheLayout() {
        byte[] bytes = first("hello").encoded();
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            boolean refused;
            try {
                refused = !EntrySigner.signatureValid(EntryCodec.decode(tampered));
            } catch (EntryFormatException e) {
                refused = true;
            }
            assertThat(refused).as("byte %d flipped", i).isTrue();
        }
    }

    @Test
    void aPayloadDoesNotOpenWithAnotherHistoryKeyOrAnUnknownId() {
        JournalEntry entry = first("hello");
        assertThatThrownBy(() -> PayloadCipher.open(entry, HistoryKeys.fixed(new HistoryKey(7, filled(32, 6)))))
                .isInstanceOf(UnreadableEntryException.class)
                .hasMessageEndingWith("does not open with history key 7");
        assertThatThrownBy(() -> PayloadCipher.open(entry, HistoryKeys.fixed(new HistoryKey(8, filled(32, 5)))))
                .isInstanceOf(UnreadableEntryException.class)
                .hasMessageEndingWith("is sealed with history key 7, which this device does not have");
    }

    @Test
    void refusesATruncatedEntry() {
        byte[] bytes = first("hello").encoded();
        assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(EntryFormatException.class)
                .hasMessage("entry has 84 bytes after the payload length; expected 85 (payload and signature)");
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = first("hello").encoded();
        bytes[0] = 2;
        assertThatThrownBy(() -> EntryCodec.decode(bytes))
                .isInstanceOf(EntryFormatException.class)
                .hasMessage("journal entry format version 2; expected 1");
    }

    @Test
    void refusesAFirstEntryThatNamesAPrevious() {
        JournalEntry entry = signer.sign(2, new HlcTimestamp(5, 0), filled(32, 3), "k", KEY, new byte[0]);
        byte[] bytes = entry.encoded();
        int seqOffset = 2 + entry.device().bytes().length;
        bytes[seqOffset + 7] = 1;
        assertThatThrownBy(() -> EntryCodec.decode(bytes))
                .isInstanceOf(EntryFormatException.class)
                .hasMessage("entry 1 names a previous entry; its previous hash must be zeros");
    }

    @Test
    void refusesAnOversizedDeclaredPayloadBeforeAllocating() {
        byte[] bytes = first("").encoded();
        int lengthOffset = bytes.length - 64 - 16 - 4;
        bytes[lengthOffset] = 0x7F;
        assertThatThrownBy(() -> EntryCodec.decode(bytes))
                .isInstanceOf(EntryFormatException.class)
                .hasMessageStartingWith("sealed payload length 2130706448 is outside 16..65552");
    }

    @Test
    void refusesAKindOutsideItsAlphabet() {
        assertThatThrownBy(() -> signer.sign(1, new HlcTimestamp(5, 0), JournalEntry.NO_PREVIOUS, "chat sent", KEY,
                new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind must be 1..64 ASCII letters");
    }

    @Test
    void refusesAnOversizedPayloadAtTheWriter() {
        assertThatThrownBy(() -> signer.sign(1, new HlcTimestamp(5, 0), JournalEntry.NO_PREVIOUS, "k", KEY,
                new byte[EntryCodec.MAX_PAYLOAD_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journal payload of 65537 bytes exceeds 65536");
    }

    @Test
    void aLargestPayloadFitsTheEntryLimit() throws Exception {
        JournalEntry entry = signer.sign(1, new HlcTimestamp(5, 0), JournalEntry.NO_PREVIOUS, "k", KEY,
                new byte[EntryCodec.MAX_PAYLOAD_BYTES]);
        assertThat(entry.encodedLength()).isLessThanOrEqualTo(EntryCodec.MAX_ENTRY_BYTES);
        assertThat(EntryCodec.decode(entry.encoded())).isEqualTo(entry);
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
