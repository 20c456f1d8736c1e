package org.parley.files.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.parley.libp2p.testing.FuzzChecks;

/**
 * Fuzz target for the link parser: any text either parses into a link that writes and parses back
 * to itself, or fails with {@link InvalidFileLinkException} naming a part. See {@code FuzzChecks}
 * for running a campaign, e.g. {@code JAZZER_FUZZ=1 ./mvnw -pl file-transfer -am test -Dtest='FileLinkFuzzTest#parse' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FileLinkFuzzTest {

    @FuzzTest
    void parse(byte[] input) throws InvalidFileLinkException {
        String text = new String(input, StandardCharsets.UTF_8);
        FileLink link;
        try {
            link = FileLink.parse(text);
        } catch (InvalidFileLinkException e) {
            FuzzChecks.requireClearMessage(e);
            assertThat(e.part()).isIn("link", "xt", "dn", "xl", "x.pe", "x.key");
            return;
        }
        assertThat(FileLink.parse(link.toUri())).isEqualTo(link);
    }
}
