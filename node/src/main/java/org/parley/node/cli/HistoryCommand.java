package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.HistoryAnswer;
import org.parley.node.api.dto.HistoryRequest;
import org.parley.node.api.dto.MessageAnswer;
import org.parley.node.chat.ChatService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code parley history C [--limit N]}: the latest messages with a contact, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show the latest messages with a contact (their messages shown become read).")
final class HistoryCommand extends ChatCommand<HistoryAnswer> {

    @Parameters(index = "0", paramLabel = "C", description = "The contact's user ID or the name you gave them.")
    String contact;

    @Option(names = "--limit", paramLabel = "N", description = "How many (1.." + ChatService.MAX_HISTORY
            + ", default " + ChatService.DEFAULT_HISTORY + ").")
    Integer limit;

    @Override
    void checkUsage() {
        if (limit != null && (limit < 1 || limit > ChatService.MAX_HISTORY)) {
            throw new ParameterException(spec.commandLine(), "--limit " + limit + " is outside 1.."
                    + ChatService.MAX_HISTORY);
        }
    }

    @Override
    ApiClient.Answer<HistoryAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.HISTORY, new HistoryRequest(identity, contact, limit), HistoryAnswer.class);
    }

    @Override
    void printText(HistoryAnswer answer, PrintWriter out) {
        if (orEmpty(answer.messages()).isEmpty()) {
            out.println("no messages yet");
        }
        for (MessageAnswer m : orEmpty(answer.messages())) {
            printMessage(m, out);
        }
    }
}
