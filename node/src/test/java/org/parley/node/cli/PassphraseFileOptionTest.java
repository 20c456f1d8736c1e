package org.parley.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.storage.StorageKey;
import org.parley.node.storage.StorageKeyFile;
import picocli.CommandLine;

/** {@code --passphrase-file} and {@code passphraseFile}: parsed, layered, and a mistake reported plainly. */
class PassphraseFileOptionTest {

    @TempDir
    Path dir;

    @TempDir
    Path secrets;

    private final StringWriter err = new StringWriter();

    @Test
    void optionSetsThePassphraseFile() throws Exception {
        Path file = secrets.resolve("pass");

        ParleyCommand command = parse("--data-dir", dir.toString(), "--passphrase-file", file.toString());

        assertThat(command.settings().passphraseFile()).isEqualTo(file);
    }

    @Test
    void configFileNamesItAndTheOptionOverridesIt() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"passphraseFile\": \"/from/config\"}");

        assertThat(parse("--data-dir", dir.toString()).settings().passphraseFile()).isEqualTo(Path.of("/from/config"));
        assertThat(parse("--data-dir", dir.toString(), "--passphrase-file", "/from/option").settings()
                .passphraseFile()).isEqualTo(Path.of("/from/option"));
    }

    @Test
    void withoutEitherThereIsNone() throws Exception {
        assertThat(parse("--data-dir", dir.toString()).settings().passphraseFile()).isNull();
    }

    @Test
    void passphraseForAPlainKeyStopsTheStartWithAMessageAndNoStackTrace() throws Exception {
        try (StorageKey key = StorageKey.generate()) {
            new StorageKeyFile().create(dir.resolve("storage.key"), key, null);
        }
        Path file = secrets.resolve("pass");
        Files.writeString(file, "a passphrase\n");

        int exit = execute("--data-dir", dir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--api-port", "0",
                "--passphrase-file", file.toString());

        assertThat(exit).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString()).startsWith("parley: cannot start the node: ")
                .contains("is not protected by a passphrase")
                .doesNotContain("Exception")
                .doesNotContain("a passphrase\n");
    }

    private static ParleyCommand parse(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    private int execute(String... args) {
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }
}
