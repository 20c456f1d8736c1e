package org.parley.node.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

class UnsafeVersionsCommandTest {

    @TempDir
    Path dir;

    @Test
    void signWritesAListThatOpensWithThePrintedKey() throws Exception {
        Path list = Files.writeString(dir.resolve("unsafe.json"),
                "{\"entries\": [{\"name\": \"parley\", \"below\": \"0.2.0\", \"reason\": \"old\"}]}");

        CliRun run = CliRun.run(dir, "unsafe-versions", "sign", "--key", dir.resolve("maintainer.key").toString(),
                list.toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        String key = run.out().lines().filter(l -> l.startsWith("key: ")).findFirst().orElseThrow()
                .substring("key: ".length()).split("\\s+")[0];
        Path signed = dir.resolve("unsafe.signed.json");
        assertThat(run.out()).contains("signed: " + signed);
        UnsafeVersionList opened = SignedVersionList.open(Files.readString(signed), SignedVersionList.pinnedKey(key));
        assertThat(opened.flagging("parley/0.1.0")).isPresent();
    }

    @Test
    void aMissingOrMalformedListGivesAMessageAndExitCode1() throws Exception {
        String key = dir.resolve("maintainer.key").toString();

        CliRun missing = CliRun.run(dir, "unsafe-versions", "sign", "--key", key, dir.resolve("absent.json").toString());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"entries\": [{\"name\": \"parley\"}]}");
        CliRun malformed = CliRun.run(dir, "unsafe-versions", "sign", "--key", key, bad.toString());

        assertThat(missing.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(missing.err()).contains("does not exist").doesNotContain("Exception");
        assertThat(malformed.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(malformed.err()).contains("is not an unsafe-version list").contains("has no \"reason\"");
        assertThat(dir.resolve("bad.signed.json")).doesNotExist();
    }
}
