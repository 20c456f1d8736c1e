package org.parley.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.InMemoryChatStores;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.ParleyNode;
import org.parley.node.api.ApiPaths;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * {@code scripts/bench chat}: two whole nodes on loopback with their databases (the DHT server a
 * third), messages sent through the HTTP API as fast as it takes them; prints the sustained
 * messages per second until the last delivered receipt, p50 and p99 from the send request to the
 * delivered event, and in the same run libsignal's encrypt+decrypt pairs per second on one core
 * (through the chat module's session manager, in memory) with the ratio. A program, not a test.
 * {@code scripts/bench chat --group [MEMBERS] [MESSAGES]} prints the group row instead ({@code GroupBench}).
 */
public final class ChatBench {

    private static final int WARM_UP = 300;
    /** Messages sent one at a time, each after the previous one's delivered receipt, for latency alone. */
    private static final int ONE_AT_A_TIME = 500;
    private static final int MESSAGES = 5_000;
    private static final double CRYPTO_SECONDS = 5;
    /**
     * HTTP clients sending at once while flooded: one client waits for each answer, so its rate is
     * one over the API's round trip; several keep the node busy, as several apps or tabs would.
     */
    private static final int CLIENTS = 16;
    /** The mean time of one send request in the last flood, for the printout. */
    private static volatile double lastApiMillis;

    private ChatBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--group")) {
            // The group row: 50 members in one JVM (org.parley.chat.group.GroupBench says why not whole nodes).
            org.parley.chat.group.GroupBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int count = args.length > 0 ? Integer.parseInt(args[0]) : MESSAGES;
        Path root = Files.createTempDirectory("parley-chat-bench");
        double nodeRate;
        long[] latencies;
        long[] flooded;
        try (ChatNodes nodes = new ChatNodes()) {
            nodes.startServer(root.resolve("s"));
            ParleyNode a = nodes.start(root.resolve("a"), 0);
            ParleyNode b = nodes.start(root.resolve("b"), 0);
            nodes.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "name", "bob");
            ChatNodes.await("the request arrives", () -> size(nodes, b, ApiPaths.REQUESTS) == 1);
            nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
            ChatNodes.await("the acceptance arrives", () -> accepted(nodes, a));
            run(nodes, a, WARM_UP);
            long start = System.nanoTime();
            flooded = run(nodes, a, count);
            double seconds = (System.nanoTime() - start) / 1e9;
            nodeRate = count / seconds;
            latencies = oneAtATime(a, nodes, ONE_AT_A_TIME);
        }
        double crypto = libsignalPairsPerSecond(CRYPTO_SECONDS);
        Arrays.sort(latencies);
        Arrays.sort(flooded);
        System.out.printf("messages A->B through the API, both nodes persisting: %d as fast as the API takes them"
                + " from %d clients at once (mean send request %.2f ms)%n", count, CLIENTS, lastApiMillis);
        System.out.printf("  sustained: %,.0f messages/s until the last delivered receipt (goal >= 5,000)%n", nodeRate);
        System.out.printf("  send -> delivered while flooded (queueing included): p50 %.1f ms, p99 %.1f ms%n",
                flooded[flooded.length / 2] / 1e6, flooded[(int) (flooded.length * 0.99)] / 1e6);
        System.out.printf("%d messages one at a time, each after the previous one was delivered:%n", ONE_AT_A_TIME);
        System.out.printf("  send -> delivered: p50 %.2f ms, p99 %.2f ms (goal p99 <= 20 ms)%n",
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
        System.out.printf("libsignal encrypt+decrypt on one core (256-byte text): %,.0f pairs/s%n", crypto);
        System.out.printf("  node rate / libsignal rate: %.1f%%%n", 100 * nodeRate / crypto);
    }

    /** Sends {@code count} messages and waits for every delivered receipt; the send-to-delivered time of each. */
    private static long[] run(ChatNodes nodes, ParleyNode a, int count) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(count);
        try (EventSubscription s = a.events().subscribe("bench", e -> {
            if (e instanceof NodeEvent.ChatState st && st.state().equals("delivered")
                    && deliveredAt.putIfAbsent(st.messageId(), System.nanoTime()) == null) {
                done.countDown();
            }
        })) {
            String text = "x".repeat(200);
            AtomicInteger next = new AtomicInteger();
            AtomicLong apiNanos = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        while (next.getAndIncrement() < count) {
                            long before = System.nanoTime();
                            JsonNode sent = nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", text);
                            apiNanos.addAndGet(System.nanoTime() - before);
                            sentAt.put(sent.get("messageId").asText(), before);
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw failures.getFirst();
            }
            lastApiMillis = apiNanos.get() / 1e6 / count;
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (count - done.getCount()) + " of " + count + " delivered");
            }
        }
        List<Long> out = new ArrayList<>();
        sentAt.forEach((id, t) -> out.add(deliveredAt.get(id) - t));
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] oneAtATime(ParleyNode a, ChatNodes nodes, int count) throws Exception {
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        long[] out = new long[count];
        try (EventSubscription s = a.events().subscribe("bench-latency", e -> {
            if (e instanceof NodeEvent.ChatState st && st.state().equals("delivered")) {
                deliveredAt.putIfAbsent(st.messageId(), System.nanoTime());
                waiting.computeIfAbsent(st.messageId(), id -> new CountDownLatch(1)).countDown();
            }
        })) {
            for (int i = 0; i < count; i++) {
                long before = System.nanoTime();
                String id = nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", "y".repeat(200))
                        .get("messageId").asText();
                if (!waiting.computeIfAbsent(id, k -> new CountDownLatch(1)).await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("message " + i + " was not delivered within a minute");
                }
                out[i] = deliveredAt.get(id) - before;
            }
        }
        return out;
    }

    private static double libsignalPairsPerSecond(double seconds) throws Exception {
        SessionManager alice = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 1, 1));
        SessionManager bob = new SessionManager(new InMemoryChatStores(IdentityKeyPair.generate(), 2, 1));
        bob.prekeyService(java.time.Clock.systemUTC()).maintain();
        UserId bobId = bob.self();
        alice.startSession(bobId, bob.prekeyService(java.time.Clock.systemUTC()).nextBundle());
        ChatAddress toBob = new ChatAddress(bobId, 1);
        ChatContent.Text text = new ChatContent.Text("x".repeat(200));
        ConversationId conversation = ConversationId.random();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long pairs = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            ChatFrame frame = alice.encrypt(toBob, new ChatEnvelope(MessageId.random(),
                    new HlcTimestamp(System.currentTimeMillis(), 0), conversation, text));
            bob.decrypt(frame);
            pairs++;
        }
        return pairs / ((System.nanoTime() - start) / 1e9);
    }

    private static int size(ChatNodes nodes, ParleyNode node, String path) {
        try {
            return nodes.get(node, path).get("contacts").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepted(ChatNodes nodes, ParleyNode a) {
        try {
            JsonNode contacts = nodes.get(a, ApiPaths.CONTACTS).get("contacts");
            return !contacts.isEmpty() && contacts.get(0).get("state").asText().equals("accepted");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
