package org.parley.node.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.parley.node.api.dto.ContactAnswer;
import org.parley.node.api.dto.MessageAnswer;
import picocli.CommandLine.Option;

/**
 * A chat subcommand: takes {@code --identity} (a user ID or display name of this node's
 * identities; the default one without it) and prints contacts and messages the same way.
 * Not thread safe (one run).
 */
abstract class ChatCommand<T> extends ClientCommand<T> {

    @Option(names = "--identity", paramLabel = "ID",
            description = "Act as this identity of the node (user ID or display name; default: the oldest active one).")
    String identity;

    /** {@code path} with {@code ?identity=} when one was given. */
    String withIdentity(String path) {
        return identity == null ? path : path + "?identity=" + URLEncoder.encode(identity, StandardCharsets.UTF_8);
    }

    static void printContact(ContactAnswer c, PrintWriter out) {
        StringBuilder line = new StringBuilder(c.label()).append("  ").append(c.userId()).append("  ").append(c.state());
        if (c.verified()) {
            line.append("  verified");
        }
        if (c.keyWarning()) {
            line.append("  WARNING: a different identity key was presented; sending is held until you check the"
                    + " safety number and run parley verify");
        }
        if (c.clientVersion() != null) {
            line.append("  ").append(c.clientVersion());
        }
        out.println(line);
        if (c.versionWarning() != null) {
            out.println("  WARNING: their client " + c.versionWarning() + "; ask them to update (chat keeps working)");
        }
        if (c.intro() != null && !c.intro().isEmpty()) {
            out.println("  intro: " + c.intro());
        }
    }

    static void printMessage(MessageAnswer m, PrintWriter out) {
        String when = java.time.Instant.ofEpochMilli(m.hlcMillis()).toString();
        String who = "outgoing".equals(m.direction()) ? "me" : "them";
        String body = m.file() == null ? m.text()
                : "file: " + m.file().name() + " (" + m.file().size() + " bytes)  download: parley get '" + m.file().link() + "'";
        out.println(when + "  " + who + "  [" + m.state() + (m.failure() == null ? "" : ": " + m.failure()) + "]  "
                + body);
    }
}
