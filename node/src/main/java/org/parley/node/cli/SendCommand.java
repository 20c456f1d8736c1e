package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.MessageAnswer;
import org.parley.node.api.dto.SendRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley send C TEXT}: keeps the message and queues it for the contact's device. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send a text message to a contact (kept and retried until a device of theirs has it).")
final class SendCommand extends ChatCommand<MessageAnswer> {

    @Parameters(index = "0", paramLabel = "C", description = "The contact's user ID or the name you gave them.")
    String contact;

    @Parameters(index = "1", paramLabel = "TEXT")
    String text;

    @Override
    ApiClient.Answer<MessageAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.MESSAGES, new SendRequest(identity, contact, text), MessageAnswer.class);
    }

    @Override
    void printText(MessageAnswer answer, PrintWriter out) {
        out.println("message " + answer.messageId() + ": " + answer.state());
    }
}
