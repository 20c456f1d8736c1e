package org.parley.chat.group;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.parley.chat.group.GroupCluster.Member;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.MessageId;

/**
 * The group row of the chat benchmark ({@code scripts/bench chat-group [MEMBERS] [MESSAGES]}):
 * 50 members in one JVM over in-memory stores and an in-memory transport (50 whole nodes are too
 * heavy for this machine), with real libsignal pairwise sessions and sender keys. One member sends;
 * the others decrypt their copies in parallel on a pool as wide as the machine. Prints, per message,
 * the time from send until every member has shown it (p50, p99), and the sender's CPU per message
 * (sender key encryption plus one pairwise encryption per member), first for the first message
 * (which also starts the pairwise sessions and hands out the sender key), then steady state.
 */
public final class GroupBench {

    private GroupBench() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        GroupCluster cluster = new GroupCluster();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(cluster.add("m" + i));
        }
        Member sender = members.getFirst();
        List<UserId> invited = members.subList(1, size).stream().map(Member::id).toList();
        GroupUpdate created = sender.engine.create("bench", invited, 1);
        ConversationId group = created.changed().getFirst().group();
        cluster.take(sender, created);
        cluster.run();
        // Every receiver starts its session with the sender now, as a member that talked before would have.
        List<Member> receivers = members.subList(1, size);
        int threads = Runtime.getRuntime().availableProcessors();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            long[] firstCpu = new long[1];
            long first = oneMessage(cluster, sender, receivers, group, pool, cpu, firstCpu, "first");
            int warmup = Math.min(50, messages);
            for (int i = 0; i < warmup; i++) {
                oneMessage(cluster, sender, receivers, group, pool, cpu, new long[1], "warm-up " + i);
            }
            long[] latencies = new long[messages];
            long cpuTotal = 0;
            for (int i = 0; i < messages; i++) {
                long[] senderCpu = new long[1];
                latencies[i] = oneMessage(cluster, sender, receivers, group, pool, cpu, senderCpu, "message " + i);
                cpuTotal += senderCpu[0];
            }
            Arrays.sort(latencies);
            System.out.printf("group of %d members, one JVM, in-memory transport, %d receiving threads%n", size,
                    threads);
            System.out.printf("  first message (hands the sender key to %d members): send to all"
                    + " delivered %.1f ms, sender CPU %.1f ms%n", size - 1, first / 1e6, firstCpu[0] / 1e6);
            System.out.printf("  steady state, %d messages: send to all delivered p50 %.2f ms, p99 %.2f ms;"
                    + " sender CPU %.3f ms per message (%.1f µs per member)%n", messages,
                    latencies[messages / 2] / 1e6, latencies[(int) (messages * 0.99)] / 1e6,
                    cpuTotal / 1e6 / messages, cpuTotal / 1e3 / messages / (size - 1));
        }
    }

    /** Sends one message and returns the nanoseconds until every receiver has shown it. */
    private static long oneMessage(GroupCluster cluster, Member sender, List<Member> receivers, ConversationId group,
            ExecutorService pool, ThreadMXBean cpu, long[] senderCpu, String text) throws Exception {
        long start = System.nanoTime();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        GroupUpdate update = sender.engine.send(group, MessageId.next(), cluster.now(), text);
        cluster.take(sender, update);
        senderCpu[0] = cpu.getCurrentThreadCpuTime() - cpuStart;
        List<Future<?>> done = new ArrayList<>();
        for (Member r : receivers) {
            done.add(pool.submit(() -> cluster.drain(r)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        for (Member r : receivers) {
            if (r.shown.isEmpty() || !r.shown.getLast().text().equals(text)) {
                throw new AssertionError(r + " did not show " + text);
            }
        }
        return elapsed;
    }
}
