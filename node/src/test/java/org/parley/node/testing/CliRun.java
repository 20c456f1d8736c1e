package org.parley.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parley.node.api.ApiJson;
import org.parley.node.cli.ExitCode;
import org.parley.node.cli.ParleyCommand;
import picocli.CommandLine;

/**
 * One in-process run of the {@code parley} CLI against a data dir, with what it printed; for tests
 * that drive a running node the way a script would.
 */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code parley --data-dir DIR ARGS...}. */
    public static CliRun run(Path dataDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ParleyCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Runs the command with {@code --json}, asserts it succeeded and parses what it printed. */
    public static JsonNode json(Path dataDir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        CliRun run = run(dataDir, all.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.OK);
        return ApiJson.MAPPER.readTree(run.out());
    }
}
