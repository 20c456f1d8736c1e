package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.SyncDeviceAnswer;
import org.parley.node.api.dto.SyncExchangeAnswer;
import org.parley.node.api.dto.SyncRunAnswer;
import picocli.CommandLine.Command;

/** {@code parley sync}: reconciles the history journal with every online device of this user now. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Sync the message history with your other devices that are online now, and print what was"
                + " exchanged.")
final class SyncCommand extends ClientCommand<SyncRunAnswer> {

    @Override
    ApiClient.Answer<SyncRunAnswer> request(ApiClient client) throws CliException {
        return client.post(ApiPaths.SYNC_RUN, Map.of(), SyncRunAnswer.class);
    }

    @Override
    void printText(SyncRunAnswer answer, PrintWriter out) {
        List<SyncExchangeAnswer> exchanges = orEmpty(answer.exchanges());
        if (exchanges.isEmpty()) {
            out.println("no other device of yours is online; history syncs when one connects");
        }
        for (SyncExchangeAnswer e : exchanges) {
            out.printf("%s: received %d entries (%d new), sent %d; %d bytes in, %d bytes out%s%n", e.peerId(),
                    e.received(), e.stored(), e.sent(), e.bytesReceived(), e.bytesSent(),
                    e.more() ? "; more to come" : "");
        }
        if (answer.sync() != null) {
            out.printf("%d entries in this device's history%n", answer.sync().entries());
            for (SyncDeviceAnswer d : orEmpty(answer.sync().devices())) {
                out.printf("%s  %s%s%s%n", d.peerId(), d.state(),
                        "behind".equals(d.state()) ? " by " + d.behindBy() : "",
                        d.error() == null ? "" : " (" + d.error() + ")");
            }
        }
    }
}
