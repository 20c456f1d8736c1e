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
 * The sender is killed with SIGKILL while every message of a burst is still in its outbox, and
 * some of them sit in the receiver's hands unacknowledged (the receiver holds its database while the
 * burst goes out, so nothing it reads can commit or be acked): after the sender's restart every
 * message arrives, once, in order.
 */
@Tag("slow")
class ChatCrashTest {

    private static final int COUNT = 1_000;

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

        // B holds its database while A takes the burst: A sends at once (the outbox is pipelined),
        // B reads the first frames but can neither keep them nor ack them until it lets go, and A is
        // killed in the meantime. Nothing of the burst can have been acked to A.
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (EventSubscription s = b.events().subscribe("test", e -> {
            if (e instanceof NodeEvent.ChatMessage m && !m.outgoing()) {
                received.add(m.text());
            }
        })) {
            try (DatabaseHold hold = new DatabaseHold(b)) {
                for (int i = 0; i < COUNT; i++) {
                    nodes.post(apiA, ApiPaths.MESSAGES, "contact", "bob", "text", text(i));
                }
                a.kill();
                copy(dirA, afterKill);
            }
            assertThat(outboxRows(afterKill)).as("A's outbox at the kill: B could ack nothing").isEqualTo(COUNT);
            // B now keeps the frames it held: texts whose acks the killed A never saw, so its
            // restart sends them again and B must show each once.
            ChatNodes.await("B keeps what the killed A had sent", () -> !received.isEmpty());

            NodeProcess again = start(portA, "a2.log");
            assertThat(again.startLine("user-id")).isEqualTo(alice);
            ChatNodes.await("B has every message", () -> received.size() == COUNT);
            // The resent burst goes out in batches; each batch's one receipt names all it kept.
            ApiEndpoint apiAgain = again.api();
            ChatNodes.await("A sees every message delivered",
                    () -> nodes.ownStates(apiAgain, "bob").equals(Set.of("delivered")));
        }
        // B's API closed the test's idle keep-alive connection long ago (its header deadline); a
        // GET, which the HTTP client retries on a fresh connection, leaves one for the POST.
        nodes.get(b, ApiPaths.CONTACTS);
        JsonNode history = nodes.post(b, ApiPaths.HISTORY, "contact", alice, "limit", 10_000).get("messages");
        List<String> texts = new ArrayList<>();
        history.forEach(m -> texts.add(m.get("text").asText()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(text(i));
        }
        assertThat(texts).containsExactlyElementsOf(expected);

        // What the killed node left on disk (database and WAL as the crash left them, logs): no message text.
        byte[] needle = text(COUNT / 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
