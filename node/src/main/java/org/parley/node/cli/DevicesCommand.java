package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.DeviceAnswer;
import org.parley.node.api.dto.DeviceRequest;
import org.parley.node.api.dto.DevicesAnswer;
import org.parley.node.api.dto.LinkCodeAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code parley devices [link | revoke D]}: this user's devices; make a link code; revoke a device. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List this user's devices; 'link' prints a one-time code that links another device"
                + " (start it with --link CODE); 'revoke D' removes device D (PeerId or number).",
        subcommands = {DevicesCommand.Link.class, DevicesCommand.Revoke.class})
final class DevicesCommand extends ChatCommand<DevicesAnswer> {

    @Override
    ApiClient.Answer<DevicesAnswer> request(ApiClient client) throws CliException {
        return client.get(withIdentity(ApiPaths.DEVICES), DevicesAnswer.class);
    }

    @Override
    void printText(DevicesAnswer answer, PrintWriter out) {
        print(answer, out);
    }

    static void print(DevicesAnswer answer, PrintWriter out) {
        out.println(answer.identity() + "  device list version " + answer.version());
        for (DeviceAnswer d : orEmpty(answer.devices())) {
            out.println("  " + d.number() + "  " + d.peerId() + (d.thisDevice() ? "  this device" : "")
                    + "  added " + d.added() + "  last seen " + (d.lastSeen() == null ? "not yet" : d.lastSeen())
                    + (d.sync() == null ? "" : "  " + d.sync()));
        }
    }

    private static Map<String, String> body(String identity, String device) {
        Map<String, String> body = new LinkedHashMap<>();
        if (identity != null) {
            body.put(DeviceRequest.IDENTITY, identity);
        }
        if (device != null) {
            body.put(DeviceRequest.DEVICE, device);
        }
        return body;
    }

    /** {@code devices link}. */
    @Command(name = "link", mixinStandardHelpOptions = true,
            description = "Print a one-time code (valid 10 minutes) that links a new device: start it with"
                    + " scripts/run --link CODE.")
    static final class Link extends ChatCommand<LinkCodeAnswer> {
        @Override
        ApiClient.Answer<LinkCodeAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DEVICES_LINK, body(identity, null), LinkCodeAnswer.class);
        }

        @Override
        void printText(LinkCodeAnswer answer, PrintWriter out) {
            out.println(answer.code());
            out.println("expires " + answer.expires() + "; it works once. On the new device run:"
                    + " scripts/run --data-dir NEW_DIR --link CODE");
        }
    }

    /** {@code devices revoke D}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Remove device D (its PeerId or number) from this user's devices; contacts stop sending"
                    + " to it.")
    static final class Revoke extends ChatCommand<DevicesAnswer> {
        @Parameters(index = "0", paramLabel = "D")
        String device;

        @Override
        ApiClient.Answer<DevicesAnswer> request(ApiClient client) throws CliException {
            return client.post(ApiPaths.DEVICES_REVOKE, body(identity, device), DevicesAnswer.class);
        }

        @Override
        void printText(DevicesAnswer answer, PrintWriter out) {
            print(answer, out);
        }
    }
}
