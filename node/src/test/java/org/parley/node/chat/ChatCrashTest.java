package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiEndpoint;
import org.parley.node.api.ApiPaths;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;

/**
 * The sender is killed with SIGKILL while its outbox holds messages (some acknowledged by the
 * receiver, some in flight, most not yet sent; the receiver was away while the burst was taken):
 * after its restart every message arrives, once, in order.
 */
@Tag("slow")
class ChatCrashTest {

    private static final int COUNT = 1_000;
    /** Messages the receiver has when the sender is killed: well inside the burst. */
    private static final int KILL_AFTER = 20;

    @TempDir
    Path dirS;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path logs;

    @TempDir
    Path afterKill;

    private final ChatNodes nodes = new ChatNodes();
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (NodeProcess p : processes) {
            p.close();
        }
        nodes.close();
    }

    @Test
    void messagesInTheOutboxOfAKilledSenderArriveOnceAfterItsRestart() throws Exception {
        nodes.startServer(dirS);
        ParleyNode b = nodes.start(dirB, 0);
        int portA = freePort();
        NodeProcess a = start(portA, "a1.log");
        String alice = a.startLine("user-id");
        ApiEndpoint apiA = a.api();

        nodes.post(apiA, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "name", "bob");
        ChatNodes.await("B sees the request", () -> requestCount(b) == 1);
        nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", alice);
        ChatNodes.await("A sees the acceptance", () -> state(apiA).equals("accepted"));

        // B is away while A takes the burst, so the whole burst waits in A's outbox (a pipelined
        // outbox would otherwise deliver each message about as fast as the API takes it).
        nodes.stop(b);
        for (int i = 0; i < COUNT; i++) {
            nodes.post(apiA, ApiPaths.MESSAGES, "contact", "bob", "text", text(i));
        }
        ParleyNode back = nodes.start(dirB, 0);
        Set<String> received = ConcurrentHashMap.newKeySet();
        CountDownLatch someArrived = new CountDownLatch(KILL_AFTER);
        try (EventSubscription s = back.events().subscribe("test", e -> {
            if (e instanceof NodeEvent.ChatMessage m && !m.outgoing()) {
                received.add(m.text());
                someArrived.countDown();
            }
        })) {
            assertThat(someArrived.await(ChatNodes.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            a.kill();
            copy(dirA, afterKill);
            // Texts travel in batches, so B may hold them all by now; what matters is that A had not
            // finished: some were undelivered, or delivered without A recording the acks (so its
            // restart sends them again, and B must not show them twice).
            int queued = outboxRows(afterKill);
            assertThat(received.size() < COUNT || queued > 0)
                    .as("the kill came with messages undelivered (%d of %d arrived) or still in A's outbox (%d)",
                            received.size(), COUNT, queued).isTrue();

            NodeProcess again = start(portA, "a2.log");
            assertThat(again.startLine("user-id")).isEqualTo(alice);
            ChatNodes.await("B has every message", () -> received.size() == COUNT);
        }
        JsonNode history = nodes.post(back, ApiPaths.HISTORY, "contact", alice, "limit", 10_000).get("messages");
        List<String> texts = new ArrayList<>();
        history.forEach(m -> texts.add(m.get("text").asText()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(text(i));
        }
        assertThat(texts).containsExactlyElementsOf(expected);

        // What the killed node left on disk (database and WAL as the crash left them, logs): no message text.
        byte[] needle = text(KILL_AFTER).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(afterKill)) {
            List<Path> all = files.filter(java.nio.file.Files::isRegularFile).toList();
            assertThat(all).anyMatch(f -> f.toString().endsWith("parley.db-wal"));
            assertThat(all).anyMatch(f -> f.toString().endsWith("parley.log"));
            for (Path f : all) {
                assertThat(indexOf(java.nio.file.Files.readAllBytes(f), needle)).as(f.toString()).isEqualTo(-1);
            }
        }
    }

    /** Rows in the outbox of the database in {@code dataDir}, read from a copy so the files stay as the crash left them. */
    private static int outboxRows(Path dataDir) throws Exception {
        Path copy = java.nio.file.Files.createTempDirectory("parley-crash-copy");
        try {
            copy(dataDir, copy);
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("parley.db"));
                    java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM chat_outbox")) {
                return rs.getInt(1);
            }
        } finally {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(copy)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private NodeProcess start(int port, String log) throws Exception {
        NodeProcess p = NodeProcess.start(dirA, port, nodes.serverAddress(), logs.resolve(log));
        processes.add(p);
        return p;
    }

    private int requestCount(ParleyNode b) {
        try {
            return nodes.get(b, ApiPaths.REQUESTS).get("contacts").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String state(ApiEndpoint api) {
        try {
            JsonNode contacts = nodes.get(api, ApiPaths.CONTACTS).get("contacts");
            return contacts.isEmpty() ? "none" : contacts.get(0).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String text(int i) {
        return String.format("crash test #%04d", i);
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
