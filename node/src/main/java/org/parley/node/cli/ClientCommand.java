package org.parley.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.parley.node.DataDir;
import org.parley.node.api.ApiJson;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that acts on a running node through its API: finds the node, sends one request,
 * prints the answer as text or, with {@code --json}, as the API's JSON. Not thread safe (one run).
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    /** Sends the request; the answer's JSON is what {@code --json} prints. */
    abstract JsonNode request(ApiClient client) throws CliException;

    /** Prints {@code answer} for people. */
    abstract void printText(JsonNode answer, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            JsonNode answer = request(ApiClient.forDataDir(dataDir()));
            if (options.json) {
                out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                printText(answer, out);
            }
            out.flush();
            return ExitCode.OK;
        } catch (CliException e) {
            err.println("parley " + spec.qualifiedName(" ").replaceFirst("^\\S+ ", "") + ": " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        } catch (JsonProcessingException e) {
            err.println("parley: cannot print the node's answer: " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        }
    }

    /** This subcommand's {@code --data-dir}, else the one given before it, else the default. */
    DataDir dataDir() {
        if (options.dataDir != null) {
            return new DataDir(options.dataDir);
        }
        for (CommandSpec s = spec.parent(); s != null; s = s.parent()) {
            if (s.userObject() instanceof ParleyCommand parley && parley.dataDir != null) {
                return new DataDir(parley.dataDir);
            }
        }
        return DataDir.defaultLocation();
    }

    /** A text field of {@code node}, or "" when absent. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
