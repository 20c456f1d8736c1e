package org.parley.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.List;
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
abstract class ClientCommand<T> implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    /** Sends the request; the answer's raw JSON is what {@code --json} prints, unchanged. */
    abstract ApiClient.Answer<T> request(ApiClient client) throws CliException;

    /**
     * Checks what picocli cannot (a number's range) before the node is asked.
     *
     * @throws picocli.CommandLine.ParameterException for a usage error: exit code 2 and the usage
     */
    void checkUsage() {}

    /** Prints {@code answer} for people. */
    abstract void printText(T answer, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkUsage();
        try {
            ApiClient.Answer<T> answer = request(ApiClient.forDataDir(dataDir()));
            if (options.json) {
                out.println(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(answer.json()));
            } else {
                printText(answer.value(), out);
            }
            out.flush();
            return ExitCode.OK;
        } catch (CliException e) {
            err.println("parley " + spec.qualifiedName(" ").replaceFirst("^\\S+ ", "") + ": " + e.getMessage());
            err.flush();
            return ExitCode.ERROR;
        } catch (JsonProcessingException e) {
            err.println("parley: cannot print the node's answer: " + e.getOriginalMessage());
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

    /** {@code list}, or an empty list when the node left it out. */
    static <E> List<E> orEmpty(List<E> list) {
        return list == null ? List.of() : list;
    }

    /** {@code value} as text, or "-" when the node left it out. */
    static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
