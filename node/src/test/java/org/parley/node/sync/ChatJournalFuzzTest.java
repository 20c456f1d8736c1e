package org.parley.node.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the {@code chat.changes} payload a sibling device's journal entry carries:
 * bad bytes fail only with {@link IllegalArgumentException} and a clear message, and what
 * decodes re-encodes to the same bytes. See {@link FuzzChecks} for running a campaign.
 */
class ChatJournalFuzzTest {

    @FuzzTest
    void chatChanges(byte[] input) {
        List<ChatChangesPayload.Part> parts;
        try {
            parts = ChatChangesPayload.decode(input);
        } catch (IllegalArgumentException e) {
            FuzzChecks.requireClearMessage(e);
            return;
        }
        assertThat(ChatChangesPayload.encode(parts)).isEqualTo(input);
    }
}
