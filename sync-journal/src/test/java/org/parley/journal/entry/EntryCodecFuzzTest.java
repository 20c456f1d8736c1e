package org.parley.journal.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for journal entries: bytes that decode are exactly the entry's canonical bytes and
 * survive a signature check without throwing; anything else fails only with
 * {@link EntryFormatException}. Run a campaign as {@code FuzzChecks} describes.
 */
class EntryCodecFuzzTest {

    @FuzzTest
    void decode(byte[] input) {
        JournalEntry entry;
        try {
            entry = EntryCodec.decode(input);
        } catch (EntryFormatException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(entry.encoded()).isEqualTo(input);
        EntrySigner.signatureValid(entry);
        assertThat(entry.seq()).isPositive();
    }
}
