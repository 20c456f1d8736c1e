package org.parley.node.cli;

import java.io.PrintWriter;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.ContactRequest;
import org.parley.node.api.dto.SafetyNumberAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley safety-number C}: the 60 digits to compare with the contact (the same on both sides). */
@Command(name = "safety-number", mixinStandardHelpOptions = true,
        description = "Show the safety number of the conversation with a contact; compare it with theirs, then run"
                + " parley verify C.")
final class SafetyNumberCommand extends ChatCommand<SafetyNumberAnswer> {

    @Parameters(index = "0", paramLabel = "C", description = "The contact's user ID or the name you gave them.")
    String contact;

    @Override
    ApiClient.Answer<SafetyNumberAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.SAFETY_NUMBER, new ContactRequest(identity, contact, null, null),
                SafetyNumberAnswer.class);
    }

    @Override
    void printText(SafetyNumberAnswer answer, PrintWriter out) {
        out.println(answer.grouped());
        out.println(answer.verified() ? "verified" : "not verified yet");
    }
}
