package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.cli.ExitCode;
import org.parley.node.testing.CliRun;

/**
 * {@code send-file} between two whole nodes on loopback: Alice shares a file and sends its link in
 * an encrypted file offer; Bob's history shows the name, size and link, and {@code get} with that
 * link brings the very file.
 */
@Timeout(180)
class SendFileTest {

    /** Three pieces of 256 KiB and a short fourth. */
    private static final int FILE_BYTES = 3 * 256 * 1024 + 1234;

    @TempDir
    Path root;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    @Test
    void aSentFileShowsInTheReceiversHistoryAndDownloadsIntact() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode alice = nodes.start(root.resolve("alice"), 0);
        ParleyNode bob = nodes.start(root.resolve("bob"), 0);
        befriend(alice, bob);
        byte[] data = new byte[FILE_BYTES];
        new Random(7).nextBytes(data);
        Path original = Files.write(Files.createDirectories(root.resolve("files")).resolve("holiday plan.pdf"), data);

        JsonNode sent = CliRun.json(dir(alice), "send-file", "bob", original.toString());
        assertThat(sent.get("text").asText()).isEqualTo("holiday plan.pdf");
        assertThat(sent.get("file").get("name").asText()).isEqualTo("holiday plan.pdf");
        assertThat(sent.get("file").get("size").asLong()).isEqualTo(FILE_BYTES);
        String link = sent.get("file").get("link").asText();
        assertThat(link).startsWith("magnet:?xt=urn:parley:").contains("x.key=");

        ChatNodes.await("Bob has the file offer", () -> lastMessage(bob, "alice") != null
                && lastMessage(bob, "alice").hasNonNull("file"));
        JsonNode received = lastMessage(bob, "alice");
        assertThat(received.get("direction").asText()).isEqualTo("incoming");
        assertThat(received.get("text").asText()).isEqualTo("holiday plan.pdf");
        assertThat(received.get("file").get("link").asText()).isEqualTo(link);
        assertThat(received.get("file").get("size").asLong()).isEqualTo(FILE_BYTES);
        CliRun history = CliRun.run(dir(bob), "history", "alice");
        assertThat(history.out()).contains("file: holiday plan.pdf (" + FILE_BYTES + " bytes)");

        Path out = Files.createDirectories(root.resolve("bob-downloads"));
        CliRun got = CliRun.run(dir(bob), "get", received.get("file").get("link").asText(), "--out", out.toString(), "--wait");
        assertThat(got.exit()).as(got.err()).isEqualTo(ExitCode.OK);
        assertThat(sha256(out.resolve("holiday plan.pdf"))).isEqualTo(sha256(original));
    }

    @Test
    void aMissingFileOrAStrangerGetsAClearMessageAndNothingIsSent() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode alice = nodes.start(root.resolve("alice"), 0);
        Path file = Files.write(root.resolve("note.txt"), new byte[] {1, 2, 3});

        CliRun missing = CliRun.run(dir(alice), "send-file", "bob", root.resolve("absent.txt").toString());
        assertThat(missing.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(missing.err()).contains("absent.txt").doesNotContain("Exception");

        CliRun stranger = CliRun.run(dir(alice), "send-file", "nobody", file.toString());
        assertThat(stranger.exit()).isEqualTo(ExitCode.ERROR);
        assertThat(stranger.err()).contains("nobody").doesNotContain("Exception");
    }

    private void befriend(ParleyNode a, ParleyNode b) throws Exception {
        nodes.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "intro", "hi", "name", "bob");
        ChatNodes.await("B sees A's request", () -> count(b, ApiPaths.REQUESTS) == 1);
        nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
        nodes.post(b, ApiPaths.CONTACTS, "contact", ChatNodes.userId(a), "name", "alice");
        ChatNodes.await("A sees B accept", () -> {
            try {
                for (JsonNode c : nodes.get(a, ApiPaths.CONTACTS).get("contacts")) {
                    if (c.get("userId").asText().equals(ChatNodes.userId(b)) && c.get("state").asText().equals("accepted")) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private int count(ParleyNode node, String path) {
        try {
            return nodes.get(node, path).get("contacts").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode lastMessage(ParleyNode node, String contact) {
        try {
            JsonNode messages = nodes.post(node, ApiPaths.HISTORY, "contact", contact).get("messages");
            return messages.isEmpty() ? null : messages.get(messages.size() - 1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Path dir(ParleyNode node) {
        return node.settings().dataDir().root();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
