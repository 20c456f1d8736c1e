package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.MessageAnswer;
import org.parley.node.api.dto.SendFileRequest;
import org.parley.node.api.dto.ShareRequest;
import org.parley.node.api.dto.TransferAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley send-file C FILE}: shares the file from where it is, then sends its link (with the
 * key) to the contact in an encrypted file offer; only that contact learns the key.
 */
@Command(name = "send-file", mixinStandardHelpOptions = true,
        description = "Share FILE and send its link to a contact, who sees its name and size and can download it.")
final class SendFileCommand extends ChatCommand<MessageAnswer> {

    @Parameters(index = "0", paramLabel = "C", description = "The contact's user ID or the name you gave them.")
    String contact;

    @Parameters(index = "1", paramLabel = "FILE")
    String file;

    @Override
    ApiClient.Answer<MessageAnswer> request(ApiClient client) throws CliException {
        TransferAnswer shared = client.post(ApiPaths.FILES_SHARE, new ShareRequest(FileCommands.absolute(file)),
                TransferAnswer.class).value();
        return client.post(ApiPaths.MESSAGES_FILE, new SendFileRequest(identity, contact, shared.link()),
                MessageAnswer.class);
    }

    @Override
    void printText(MessageAnswer answer, PrintWriter out) {
        long size = answer.file() == null ? 0 : answer.file().size();
        out.println("sent " + answer.text() + " (" + String.format(Locale.ROOT, "%,d", size) + " bytes) in message "
                + answer.messageId() + ": " + answer.state());
    }
}
