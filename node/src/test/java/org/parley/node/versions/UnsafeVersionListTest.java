package org.parley.node.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnsafeVersionListTest {

    private static final String LIST = """
            {"entries": [
              {"name": "parley", "from": "0.1.0", "below": "0.1.4", "reason": "a message could reach the wrong device"},
              {"name": "oldchat", "reason": "no forward secrecy"}
            ]}""";

    @Test
    void aVersionInsideAFlaggedRangeIsFlaggedWithItsReason() throws Exception {
        UnsafeVersionList list = UnsafeVersionList.parse(LIST);

        assertThat(list.flagging("parley/0.1.0")).map(UnsafeVersionList.Entry::reason)
                .contains("a message could reach the wrong device");
        assertThat(list.flagging("parley/0.1.3")).isPresent();
        assertThat(list.flagging("parley/0.1.4-SNAPSHOT")).as("a pre-release of the fixed version is before it")
                .isPresent();
        assertThat(list.flagging("oldchat/7.2 extra words")).as("an entry without bounds flags every version")
                .map(UnsafeVersionList.Entry::reason).contains("no forward secrecy");
    }

    @Test
    void versionsOutsideTheRangeAndOtherClientsAreNotFlagged() throws Exception {
        UnsafeVersionList list = UnsafeVersionList.parse(LIST);

        assertThat(list.flagging("parley/0.1.4")).as("below is exclusive").isEmpty();
        assertThat(list.flagging("parley/0.1.10")).as("numeric parts compare as numbers").isEmpty();
        assertThat(list.flagging("parley/0.0.9")).as("from is inclusive, and this is before it").isEmpty();
        assertThat(list.flagging("parley/0.1.0-SNAPSHOT")).as("a pre-release is before its release").isEmpty();
        assertThat(list.flagging("js-libp2p/0.1.2")).as("another client's name").isEmpty();
        assertThat(UnsafeVersionList.EMPTY.flagging("parley/0.1.0")).isEmpty();
    }

    @Test
    void versionOrderFollowsNumbersAndPreReleases() {
        assertThat(VersionOrder.compare("1.10.0", "1.9.9")).isPositive();
        assertThat(VersionOrder.compare("1.0", "1.0.0")).isZero();
        assertThat(VersionOrder.compare("2.0.0-rc1", "2.0.0")).isNegative();
        assertThat(VersionOrder.compare("2.0.0-rc2", "2.0.0-rc1")).isPositive();
        assertThat(VersionOrder.compare("0010", "9")).isPositive();
    }

    @Test
    void aMalformedOrOversizedListIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> UnsafeVersionList.parse("[1, 2]")).isInstanceOf(InvalidVersionListException.class)
                .hasMessageContaining("{\"entries\": [...]}");
        assertThatThrownBy(() -> UnsafeVersionList.parse("{\"entries\": [{\"name\": \"parley\"}]}"))
                .isInstanceOf(InvalidVersionListException.class).hasMessageContaining("entry 1 has no \"reason\"");
        assertThatThrownBy(() -> UnsafeVersionList.parse("{\"entries\": [{\"name\": \"p\", \"reason\": \""
                + "x".repeat(UnsafeVersionList.MAX_REASON_CHARS + 1) + "\"}]}"))
                .isInstanceOf(InvalidVersionListException.class).hasMessageContaining("over 280 characters");
        String many = "{\"entries\": [" + "{\"name\": \"p\", \"reason\": \"r\"},".repeat(UnsafeVersionList.MAX_ENTRIES)
                + "{\"name\": \"p\", \"reason\": \"r\"}]}";
        assertThatThrownBy(() -> UnsafeVersionList.parse(many)).isInstanceOf(InvalidVersionListException.class)
                .hasMessageContaining("at most " + UnsafeVersionList.MAX_ENTRIES);
    }
}
