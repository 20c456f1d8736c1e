package org.parley.node.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.parley.node.feature.Feature;
import org.parley.node.events.EventSubscription;
import org.parley.node.events.NodeEvent;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * {@code scripts/bench chat [MESSAGES]}: two whole nodes on loopback with their databases (the DHT
 * server a third). Prints, in one run: the sustained messages per second until the last delivered
 * receipt with texts sent through the HTTP API by several clients, and again with the same number of
 * senders calling the node's own send path ({@link ChatService#send}, what the API calls) in
 * process, so the node's messaging cost shows apart from the local HTTP API; send-to-delivered
 * latency at a paced load (fixed spacing at the goal's 5,000 messages/s, at 1,000 and 2,500, and
 * at 50% and 80% of the in-process sustained rate, measured from each send's scheduled time, so a
 * stall counts against every send it delays); the flood's latency, labelled as the queueing it is;
 * one-at-a-time latency through the API; and libsignal's encrypt+decrypt pairs per second on one
 * core (through the chat module's session manager, in memory) with the ratio. A program, not a test.
 * {@code scripts/bench chat --group [MEMBERS] [MESSAGES]} prints the group row instead ({@code GroupBench}).
 */
public final class ChatBench {

    /** Messages per path in one warm-up round. */
    private static final int WARM_UP = 1_000;
    /**
     * Warm-up rounds at most. The JIT compiles Jetty, the HTTP client and the node for tens of
     * seconds at first (a third of the CPU of a run with 300 messages of warm-up), which a
     * sustained rate must not count; rounds go on until one spends under
     * {@link #SETTLED_JIT_SHARE} of its time compiling.
     */
    private static final int MAX_WARM_UP_ROUNDS = 12;
    /** Compile time over wall time at which the JIT counts as settled. */
    private static final double SETTLED_JIT_SHARE = 0.05;
    /** Messages sent one at a time, each after the previous one's delivered receipt, for latency alone. */
    private static final int ONE_AT_A_TIME = 500;
    private static final int MESSAGES = 5_000;
    private static final double CRYPTO_SECONDS = 5;
    /**
     * Senders at once while flooded: one HTTP client waits for each answer, so its rate is one over
     * the API's round trip; several keep the node busy, as several apps or tabs would. The in-process
     * row uses as many threads, so both rows offer the node the same concurrency.
     */
    private static final int CLIENTS = 16;
    /**
     * The sustained rate: one paced row runs at it, so that its p99 checks the two goals
     * together on any machine (the fractions below follow the machine's own rate).
     */
    private static final double GOAL_RATE = 5_000;
    /**
     * Paced rates below the goal, in messages/s: with the goal-rate row they draw how p99 grows
     * with the load on this machine, where a user's node (a few messages a second) sits far left.
     */
    private static final double[] LIGHTER_RATES = {1_000, 2_500};
    /** The paced loads, as fractions of the in-process sustained rate. */
    private static final double[] PACED_LOADS = {0.5, 0.8};
    /** Seconds of paced sending per load: long enough for a few thousand samples at the rates measured. */
    private static final double PACED_SECONDS = 4;
    /**
     * Seconds of sending at the goal rate: its p99 is made of a few slow episodes (a collector's
     * pause and the queue behind it), so a longer row takes in more of them and varies less.
     */
    private static final double GOAL_SECONDS = 12;
    private static final String TEXT = "x".repeat(200);
    /**
     * Events the bench's subscriptions may fall behind by: every event of the largest row (three a
     * message), so a burst of delivered receipts is never dropped before it is counted.
     */
    private static final int EVENT_QUEUE = 1 << 16;

    private ChatBench() {}

    /** One send through some path; returns the message id. */
    @FunctionalInterface
    private interface Send {
        String send() throws Exception;
    }

    /**
     * What a flood measured: the rate until the last delivered receipt, each latency, the mean send
     * call, and the process CPU time per message (both nodes and the senders: on a shared machine
     * the rate follows the CPU the process gets, its CPU per message much less).
     */
    private record Flood(double rate, long[] latencies, double meanCallMillis, double cpuMicrosPerMessage,
            long jitMillis) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--group")) {
            // The group row: 50 members in one JVM (org.parley.chat.group.GroupBench says why not whole nodes).
            org.parley.chat.group.GroupBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int count = args.length > 0 ? Integer.parseInt(args[0]) : MESSAGES;
        Path root = Files.createTempDirectory("parley-chat-bench");
        Flood http;
        Flood inProcess;
        Journaled journaled;
        int warmUp;
        long[] atGoal = null;
        long[][] lighter = new long[LIGHTER_RATES.length][];
        long[][] paced = new long[PACED_LOADS.length][];
        double[] pacedRates = new double[PACED_LOADS.length];
        long[] latencies;
        try (ChatNodes nodes = new ChatNodes()) {
            nodes.startServer(root.resolve("s"));
            ChatFeature chat = new ChatFeature();
            ParleyNode a = nodes.start(root.resolve("a"), withChat(chat));
            ChatFeature chatB = new ChatFeature();
            ParleyNode b = nodes.start(root.resolve("b"), withChat(chatB));
            ChatService service = chat.service().orElseThrow(() -> new IllegalStateException("chat did not start"));
            nodes.post(a, ApiPaths.CONTACTS, "contact", ChatNodes.userId(b), "name", "bob");
            ChatNodes.await("the request arrives", () -> size(nodes, b, ApiPaths.REQUESTS) == 1);
            nodes.post(b, ApiPaths.CONTACTS_ACCEPT, "contact", ChatNodes.userId(a));
            ChatNodes.await("the acceptance arrives", () -> accepted(nodes, a));
            Send overHttp = () -> nodes.post(a, ApiPaths.MESSAGES, "contact", "bob", "text", TEXT)
                    .get("messageId").asText();
            Send direct = () -> service.send(Optional.empty(), "bob", TEXT).id().toString();
            warmUp = warmUp(a, overHttp, direct);
            http = flood(a, count, overHttp);
            inProcess = flood(a, count, direct);
            journaled = journaling(Map.of(a, chat, b, chatB), () -> flood(a, count, direct));
            if (inProcess.rate() > GOAL_RATE) {
                atGoal = paced(a, GOAL_RATE, (int) Math.ceil(GOAL_RATE * GOAL_SECONDS), direct);
            }
            for (int i = 0; i < LIGHTER_RATES.length; i++) {
                lighter[i] = paced(a, LIGHTER_RATES[i], (int) Math.ceil(LIGHTER_RATES[i] * PACED_SECONDS), direct);
            }
            for (int i = 0; i < PACED_LOADS.length; i++) {
                pacedRates[i] = inProcess.rate() * PACED_LOADS[i];
                paced[i] = paced(a, pacedRates[i], (int) Math.ceil(pacedRates[i] * PACED_SECONDS), direct);
            }
            latencies = oneAtATime(a, ONE_AT_A_TIME, overHttp);
        }
        double crypto = libsignalPairsPerSecond(CRYPTO_SECONDS);
        System.out.printf("messages A->B, both nodes persisting, %d per row from %d senders at once, after %d warm-up"
                + " rounds of %,d per path (JIT compiling during the rows: %d ms through the API, %d ms in process):%n",
                count, CLIENTS, warmUp, WARM_UP, http.jitMillis(), inProcess.jitMillis());
        System.out.printf("  through the HTTP API: %,.0f messages/s sustained until the last delivered receipt"
                + " (mean send request %.2f ms)%n", http.rate(), http.meanCallMillis());
        System.out.printf("  in process (ChatService.send, the API minus HTTP): %,.0f messages/s sustained"
                + " (mean send call %.2f ms) (goal >= 5,000)%n", inProcess.rate(), inProcess.meanCallMillis());
        System.out.printf("  in process, both nodes journaling every change for a linked device (a user with"
                + " several devices; alone, a device journals nothing): %,.0f messages/s, %.0f us of CPU per"
                + " message; the journal caught up %,d ms after the last delivered receipt%n",
                journaled.flood().rate(), journaled.flood().cpuMicrosPerMessage(), journaled.catchUpMillis());
        System.out.printf("  process CPU per message, both nodes in this JVM: %.0f us through the API, %.0f us in"
                + " process (%,.0f messages/s per core of CPU)%n", http.cpuMicrosPerMessage(),
                inProcess.cpuMicrosPerMessage(), 1e6 / inProcess.cpuMicrosPerMessage());
        if (atGoal != null) {
            System.out.printf("paced in process at the goal rate (%,.0f messages/s, fixed spacing, %d messages):"
                    + " send -> delivered %s (goal p99 <= 20 ms)%n", GOAL_RATE, atGoal.length, percentiles(atGoal));
        } else {
            System.out.printf("paced in process at the goal rate (%,.0f messages/s): not run, the sustained rate is"
                    + " below it%n", GOAL_RATE);
        }
        for (int i = 0; i < LIGHTER_RATES.length; i++) {
            System.out.printf("paced in process at %,.0f messages/s (fixed spacing, %d messages): send -> delivered"
                    + " %s%n", LIGHTER_RATES[i], lighter[i].length, percentiles(lighter[i]));
        }
        for (int i = 0; i < PACED_LOADS.length; i++) {
            System.out.printf("paced in process at %.0f%% (%,.0f messages/s, fixed spacing, %d messages):"
                    + " send -> delivered %s (goal p99 <= 20 ms)%n", PACED_LOADS[i] * 100, pacedRates[i],
                    paced[i].length, percentiles(paced[i]));
        }
        System.out.printf("flooded (queueing-dominated: every send waits behind the ones before it):%n");
        System.out.printf("  send -> delivered through the API %s; in process %s%n", percentiles(http.latencies()),
                percentiles(inProcess.latencies()));
        System.out.printf("%d messages one at a time through the API, each after the previous one was delivered:"
                + " send -> delivered %s%n", ONE_AT_A_TIME, percentiles(latencies));
        System.out.printf("libsignal encrypt+decrypt on one core (256-byte text): %,.0f pairs/s%n", crypto);
        System.out.printf("  in-process node rate / libsignal rate: %.1f%%%n", 100 * inProcess.rate() / crypto);
    }

    /** Something the bench measures while the nodes journal. */
    private interface Row {
        Flood run() throws Exception;
    }

    /**
     * Runs {@code row} while every node journals its chat changes, as it would with a sibling
     * device: journaling is turned on (which queues each node's whole history) and the queue is
     * drained before the row, so the row pays for its own changes only; turned off after. The row
     * ends at its last delivered receipt, before the journal has caught up with its changes: the
     * queue is drained again before the next row, so that row does not pay for this one's journal,
     * and the time the journal took to catch up is returned beside the row.
     */
    private static Journaled journaling(Map<ParleyNode, ChatFeature> nodes, Row row) throws Exception {
        for (ChatFeature chat : nodes.values()) {
            chat.history().orElseThrow().journalWhile(() -> true);
        }
        awaitJournalWritten(nodes.keySet());
        try {
            Flood flood = row.run();
            long end = System.nanoTime();
            awaitJournalWritten(nodes.keySet());
            return new Journaled(flood, (System.nanoTime() - end) / 1_000_000);
        } finally {
            for (ChatFeature chat : nodes.values()) {
                chat.history().orElseThrow().journalWhile(() -> false);
            }
        }
    }

    /** A row run while journaling, and how long after its end the journal had caught up with it. */
    private record Journaled(Flood flood, long catchUpMillis) {}

    private static void awaitJournalWritten(java.util.Set<ParleyNode> nodes) throws InterruptedException {
        for (ParleyNode node : nodes) {
            ChatNodes.await("the history queued for the journal is written",
                    () -> ChatNodes.rowsOf(node, "history_outbox") == 0);
        }
    }

    /** The node's default features with {@code chat} in place of the default chat feature. */
    private static List<Feature> withChat(ChatFeature chat) {
        List<Feature> features = new ArrayList<>();
        for (Feature f : ParleyNode.defaultFeatures()) {
            features.add(f instanceof ChatFeature ? chat : f);
        }
        return features;
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p99 %.2f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    /**
     * Floods both paths in rounds until the JIT has settled (see {@link #MAX_WARM_UP_ROUNDS});
     * returns the rounds taken.
     */
    private static int warmUp(ParleyNode a, Send overHttp, Send direct) throws Exception {
        for (int round = 1; round < MAX_WARM_UP_ROUNDS; round++) {
            long start = System.nanoTime();
            long jit = jitMillis();
            flood(a, WARM_UP, overHttp);
            flood(a, WARM_UP, direct);
            double wallMillis = (System.nanoTime() - start) / 1e6;
            if ((jitMillis() - jit) < SETTLED_JIT_SHARE * wallMillis) {
                return round;
            }
        }
        return MAX_WARM_UP_ROUNDS;
    }

    /** Milliseconds the JIT compilers have spent so far, all threads. */
    private static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Sends {@code count} messages from {@link #CLIENTS} senders and waits for every delivered receipt. */
    private static Flood flood(ParleyNode a, int count, Send send) throws Exception {
        MessageTimes sentAt = new MessageTimes(count);
        MessageTimes deliveredAt = new MessageTimes(count);
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        long jitStart = jitMillis();
        AtomicLong callNanos = new AtomicLong();
        try (EventSubscription s = a.events().subscribe("bench", EVENT_QUEUE, delivered(deliveredAt, done))) {
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        while (next.getAndIncrement() < count) {
                            long before = System.nanoTime();
                            String id = send.send();
                            callNanos.addAndGet(System.nanoTime() - before);
                            sentAt.putIfAbsent(id, before);
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
            awaitAll(done, count);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / count;
        return new Flood(count / seconds, deliveredAt.since(sentAt), callNanos.get() / 1e6 / count, cpuMicros,
                jitMillis() - jitStart);
    }

    /** The CPU time this process has used, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Sends {@code count} messages at {@code rate}, each started at its own scheduled time on its own
     * virtual thread (a slow send delays no later one's start); each latency runs from the scheduled
     * time to the delivered event.
     */
    private static long[] paced(ParleyNode a, double rate, int count, Send send) throws Exception {
        MessageTimes sentAt = new MessageTimes(count);
        MessageTimes deliveredAt = new MessageTimes(count);
        CountDownLatch done = new CountDownLatch(count);
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long spacing = (long) (1e9 / rate);
        try (EventSubscription s = a.events().subscribe("bench-paced", EVENT_QUEUE, delivered(deliveredAt, done))) {
            long start = System.nanoTime() + 10_000_000;
            for (int i = 0; i < count; i++) {
                long scheduled = start + i * spacing;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                Thread.ofVirtual().start(() -> {
                    try {
                        sentAt.putIfAbsent(send.send(), scheduled);
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
            }
            awaitAll(done, count);
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        return deliveredAt.since(sentAt);
    }

    private static long[] oneAtATime(ParleyNode a, int count, Send send) throws Exception {
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        long[] out = new long[count];
        try (EventSubscription s = a.events().subscribe("bench-latency", EVENT_QUEUE, e -> {
            if (e instanceof NodeEvent.ChatState st && st.state().equals("delivered")) {
                deliveredAt.putIfAbsent(st.messageId(), System.nanoTime());
                waiting.computeIfAbsent(st.messageId(), id -> new CountDownLatch(1)).countDown();
            }
        })) {
            for (int i = 0; i < count; i++) {
                long before = System.nanoTime();
                String id = send.send();
                if (!waiting.computeIfAbsent(id, k -> new CountDownLatch(1)).await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("message " + i + " was not delivered within a minute");
                }
                out[i] = deliveredAt.get(id) - before;
            }
        }
        return out;
    }

    /** Records each message's first delivered event, counting {@code done} down once per message. */
    private static java.util.function.Consumer<NodeEvent> delivered(MessageTimes deliveredAt, CountDownLatch done) {
        return e -> {
            if (e instanceof NodeEvent.ChatState st && st.state().equals("delivered")
                    && deliveredAt.putIfAbsent(st.messageId(), System.nanoTime())) {
                done.countDown();
            }
        };
    }

    private static void awaitAll(CountDownLatch done, int count) throws InterruptedException {
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + (count - done.getCount()) + " of " + count + " delivered");
        }
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
            ChatFrame frame = alice.encrypt(toBob, new ChatEnvelope(MessageId.next(),
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
