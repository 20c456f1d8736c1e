package org.parley.node.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.chat.protocol.ChatSender;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.events.NodeEvent;
import org.parley.node.events.EventSubscription;
import org.parley.node.identity.LocalIdentities;

/**
 * Two whole nodes on loopback that find each other only through a third node's DHT: a contact
 * request and its acceptance, a thousand messages each way delivered once and in order, a
 * receiver restarted mid-way losing and duplicating nothing, and no plaintext or private key in
 * any byte of either data dir afterwards.
 */
@Tag("slow")
class ChatNodesTest {

    @TempDir
    Path root;

    private final ChatNodes nodes = new ChatNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void requestAcceptThenAThousandMessagesEachWayArriveOnceInOrderAndNothingPlainReachesDisk() throws Exception {
        Friends friends = startFriends();
        ParleyNode a = friends.a();
        ParleyNode b = friends.b();

        byte[] privateKeyA = privateKey(a);
        byte[] privateKeyB = privateKey(b);
        int count = 1000;
        Set<String> deliveredToA = ConcurrentHashMap.newKeySet();
        Set<String> deliveredToB = ConcurrentHashMap.newKeySet();
        try (EventSubscription sa = deliveredWatcher(a, deliveredToA); EventSubscription sb = deliveredWatcher(b, deliveredToB)) {
            for (int i = 0; i < count; i++) {
                nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", i));
                nodes.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", text("bob", i));
            }
            ChatNodes.await("every message is delivered both ways",
                    () -> deliveredToA.size() == count && deliveredToB.size() == count);
        }
        assertExactlyOnceInOrder(b, "alice", "alice", count);
        assertExactlyOnceInOrder(a, "bob", "bob", count);
        // Reading the history sent read receipts back: each side's own messages become read.
        ChatNodes.await("A's messages are read", () -> nodes.ownStates(a.apiEndpoint(), "bob").equals(Set.of("read")));
        ChatNodes.await("B's messages are read", () -> nodes.ownStates(b.apiEndpoint(), "alice").equals(Set.of("read")));

        JsonNode numberAtA = nodes.post(a, ApiPaths.SAFETY_NUMBER, "contact", "bob");
        JsonNode numberAtB = nodes.post(b, ApiPaths.SAFETY_NUMBER, "contact", "alice");
        assertThat(numberAtA.get("digits").asText()).hasSize(60).isEqualTo(numberAtB.get("digits").asText());
        assertThat(nodes.post(a, ApiPaths.CONTACTS_VERIFY, "contact", "bob").get("verified").asBoolean()).isTrue();
        JsonNode conversations = nodes.get(a, ApiPaths.CONVERSATIONS).get("conversations");
        assertThat(conversations).hasSize(1);
        assertThat(conversations.get(0).get("label").asText()).isEqualTo("bob");
        assertThat(conversations.get(0).get("latest").get("text").asText()).isIn(text("alice", count - 1),
                text("bob", count - 1));

        nodes.close();
        for (Path dir : List.of(root.resolve("a"), root.resolve("b"))) {
            assertNoBytesOf(dir, text("alice", 7).getBytes(StandardCharsets.UTF_8), "a message text");
            assertNoBytesOf(dir, text("bob", 999).getBytes(StandardCharsets.UTF_8), "a message text");
            assertNoBytesOf(dir, privateKeyA, "A's identity private key");
            assertNoBytesOf(dir, privateKeyB, "B's identity private key");
        }
    }

    @Test
    void deliveredReceiptsComeBackOnTheAcksWhileReadReceiptsGoThroughTheOutbox() throws Exception {
        Friends friends = startFriends();
        ParleyNode a = friends.a();
        ParleyNode b = friends.b();
        // Counts B's outbox rows on B's own connection (a temporary trigger is the connection's alone).
        b.storage().database().read(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE queued_by_b(n INTEGER)");
                s.execute("CREATE TEMP TRIGGER count_queued AFTER INSERT ON main.chat_outbox"
                        + " BEGIN INSERT INTO queued_by_b VALUES (1); END");
            }
            return null;
        });
        int count = 20;
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        try (EventSubscription watch = deliveredWatcher(a, delivered)) {
            for (int i = 0; i < count; i++) {
                nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", i));
            }
            ChatNodes.await("every message is delivered", () -> delivered.size() == count);
        }
        assertThat(queuedBy(b)).as("B queued no receipt: each went back on its frame's ack").isZero();

        assertExactlyOnceInOrder(b, "alice", "alice", count);
        ChatNodes.await("A's messages are read", () -> nodes.ownStates(a.apiEndpoint(), "bob").equals(Set.of("read")));
        assertThat(queuedBy(b)).as("read receipts go through B's outbox").isPositive();
    }

    private static int queuedBy(ParleyNode node) throws Exception {
        return node.storage().database().read(c -> {
            try (java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet r = s.executeQuery("SELECT count(*) FROM temp.queued_by_b")) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    @Test
    void aReceiverStoppedMidWayAndRestartedGetsEveryMessageOnce() throws Exception {
        Friends friends = startFriends();
        ParleyNode a = friends.a();
        ParleyNode b = friends.b();
        int count = 200;
        for (int i = 0; i < count / 2; i++) {
            nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", i));
        }
        int port = ChatNodes.port(b);
        nodes.stop(b);
        for (int i = count / 2; i < count; i++) {
            nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", i));
        }
        ParleyNode restarted = nodes.start(root.resolve("b"), port);
        ChatNodes.await("B has all " + count + " messages", () -> historySize(restarted, "alice") >= count);
        assertExactlyOnceInOrder(restarted, "alice", "alice", count);
    }

    @Test
    void aContactWhoseDeviceDoesNotAnswerDelaysNoOtherContact() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode a = nodes.start(root.resolve("a"), 0);
        ParleyNode b = nodes.start(root.resolve("b"), 0);
        ParleyNode c = nodes.start(root.resolve("c"), 0);
        nodes.befriend(a, "alice", b, "bob");
        nodes.befriend(a, "alice", c, "carol");
        CountDownLatch bobHasIt = new CountDownLatch(1);
        try (EventSubscription s = b.events().subscribe("test", e -> {
            if (e instanceof NodeEvent.ChatMessage m && !m.outgoing() && m.text().equals("to bob")) {
                bobHasIt.countDown();
            }
        })) {
            // Carol's node takes A's frame but cannot keep or ack it while its database is held:
            // her ack stays away until it would time out.
            try (DatabaseHold carolHangs = new DatabaseHold(c)) {
                nodes.post(a, ApiPaths.MESSAGES, "contact", "carol", "text", "to carol");
                Thread.sleep(500); // Carol's frame goes out first (that order is what a blocked outbox would fail on)
                nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", "to bob");
                Duration beforeCarolTimesOut = ChatSender.ACK_TIMEOUT.minusSeconds(5);
                assertThat(bobHasIt.await(beforeCarolTimesOut.toSeconds(), TimeUnit.SECONDS))
                        .as("Bob's message arrives while Carol's ack is still awaited").isTrue();
            }
        }
        ChatNodes.await("Carol gets hers once her node answers",
                () -> nodes.texts(c, "alice").contains("to carol"));
    }

    @Test
    void framesTheReceiverDecryptedButFailedToKeepComeAgainAndArriveOnce() throws Exception {
        Friends friends = startFriends();
        ParleyNode a = friends.a();
        ParleyNode b = friends.b();
        // The sessions exist: what follows are ordinary messages, which B decrypts before the
        // transaction that keeps them (their session steps wait for it).
        nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", 0));
        ChatNodes.await("B has the first message", () -> historySize(b, "alice") == 1);

        // B's node now fails every transaction that keeps a message, after it decrypted its frames.
        execute(b, "CREATE TEMP TRIGGER refuse_messages BEFORE INSERT ON chat_message"
                + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        int count = 20;
        for (int i = 1; i < count; i++) {
            nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", i));
        }
        Thread.sleep(1_500); // A tries, B decrypts and fails, A backs off and tries again
        assertThat(historySize(b, "alice")).as("nothing kept while B fails").isEqualTo(1);
        execute(b, "DROP TRIGGER refuse_messages");

        // A sends them again (encrypted anew) soon: its early retries, woken by each new message,
        // did not lengthen its backoff.
        ChatNodes.await("B has all " + count + " messages", () -> historySize(b, "alice") == count);
        assertExactlyOnceInOrder(b, "alice", "alice", count);
        nodes.post(b, ApiPaths.MESSAGES, "contact", "alice", "text", text("bob", 0));
        nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text("alice", count));
        ChatNodes.await("both sessions go on", () -> historySize(a, "bob") == count + 2
                && historySize(b, "alice") == count + 2);
    }

    private static void execute(ParleyNode node, String sql) throws Exception {
        node.storage().database().transaction(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    /** Alice's node A and Bob's node B, friends: the two nodes of most tests here. */
    private record Friends(ParleyNode a, ParleyNode b) {}

    /** Starts the DHT server and nodes A and B, and makes them friends ({@link #befriend}). */
    private Friends startFriends() throws Exception {
        nodes.startServer(root.resolve("server"));
        ParleyNode a = nodes.start(root.resolve("a"), 0);
        ParleyNode b = nodes.start(root.resolve("b"), 0);
        befriend(a, b);
        return new Friends(a, b);
    }

    /** A adds B by user ID alone (found through the DHT), B accepts; both name the other. */
    private void befriend(ParleyNode a, ParleyNode b) throws Exception {
        JsonNode added = nodes.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "intro", "hi, it is Alice",
                "name", "bob");
        assertThat(added.get("state").asText()).isEqualTo("requested");
        ChatNodes.await("B sees A's request", () -> requests(b).size() == 1);
        JsonNode request = requests(b).getFirst();
        assertThat(request.get("userId").asText()).isEqualTo(ChatNodes.userId(a));
        assertThat(request.get("intro").asText()).isEqualTo("hi, it is Alice");
        nodes.accept(a, "alice", b, "bob");
    }

    private List<JsonNode> requests(ParleyNode node) {
        try {
            List<JsonNode> out = new ArrayList<>();
            nodes.get(node, ApiPaths.REQUESTS).get("contacts").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private int historySize(ParleyNode node, String contact) {
        try {
            return nodes.post(node, ApiPaths.HISTORY, "contact", contact, "limit", 10_000).get("messages").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertExactlyOnceInOrder(ParleyNode node, String contact, String sender, int count) throws Exception {
        JsonNode messages = nodes.post(node, ApiPaths.HISTORY, "contact", contact, "limit", 10_000).get("messages");
        List<String> incoming = new ArrayList<>();
        for (JsonNode m : messages) {
            if (m.get("direction").asText().equals("incoming")) {
                incoming.add(m.get("text").asText());
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(text(sender, i));
        }
        assertThat(incoming).containsExactlyElementsOf(expected);
    }

    private static EventSubscription deliveredWatcher(ParleyNode node, Set<String> delivered) {
        return node.events().subscribe("test-delivered", event -> {
            if (event instanceof NodeEvent.ChatState s && (s.state().equals("delivered") || s.state().equals("read"))) {
                delivered.add(s.messageId());
            }
        });
    }

    private static byte[] privateKey(ParleyNode node) throws Exception {
        LocalIdentities identities = new LocalIdentities(node.storage().database(), node.storage().cipher());
        return identities.keyPair(identities.all().getFirst().rowId()).getPrivateKey().serialize();
    }

    private static String text(String sender, int i) {
        return String.format("secret note %s #%04d", sender, i);
    }

    private static void assertNoBytesOf(Path dir, byte[] needle, String what) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                assertThat(indexOf(content, needle)).as(what + " in " + file).isEqualTo(-1);
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
}
