package org.parley.libp2p.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Runs sender→sink transfers in interleaved rounds (every pair once per round, after one warm-up
 * round) and records, besides the wall-clock rate, the CPU time each side's process spent: on two
 * shared cores the wall clock says how busy the machine was as much as how fast the code is, while
 * CPU time per byte says what the code costs. Not thread safe; runs on the caller's thread.
 */
final class TransferRounds {

    /** One transfer of {@code bytes} from a sender to a sink; returns the wall-clock nanoseconds it took. */
    @FunctionalInterface
    interface Transfer {
        long nanos(long bytes) throws Exception;
    }

    /**
     * A sender and a sink, each a process whose whole CPU time is charged to the transfer (a pid of
     * 0 when the process is not known: then no CPU figures).
     *
     * @param key names the pair for the goals, or null
     */
    record Pair(String key, String label, String layers, String processes, long senderPid, long receiverPid,
            Transfer transfer) {}

    /**
     * What the rounds measured for one pair.
     *
     * @param mbPerSecond wall clock, MB = 10^6 bytes
     * @param senderCpuPerGb CPU seconds of the sender's process per 10^9 bytes, all its threads
     * @param receiverCpuPerGb the same for the sink's process
     */
    record Result(Pair pair, Samples mbPerSecond, Samples senderCpuPerGb, Samples receiverCpuPerGb) {

        /**
         * MB/s if each side had all the CPU it wanted: 10^9 bytes over the busier side's CPU
         * seconds, from the medians. On a loaded machine this is the fairer figure to compare.
         */
        double cpuBoundMbPerSecond() {
            return 1000 / Math.max(senderCpuPerGb.median(), receiverCpuPerGb.median());
        }
    }

    private TransferRounds() {}

    static List<Result> run(List<Pair> pairs, long bytes, long warmupBytes, int rounds) throws Exception {
        for (Pair pair : pairs) {
            pair.transfer().nanos(warmupBytes);
        }
        double[][] rates = new double[pairs.size()][rounds];
        double[][] senderCpu = new double[pairs.size()][rounds];
        double[][] receiverCpu = new double[pairs.size()][rounds];
        double gigabytes = bytes / 1e9;
        for (int round = 0; round < rounds; round++) {
            for (int p = 0; p < pairs.size(); p++) {
                Pair pair = pairs.get(p);
                long sender0 = cpuNanos(pair.senderPid());
                long receiver0 = cpuNanos(pair.receiverPid());
                long nanos = pair.transfer().nanos(bytes);
                senderCpu[p][round] = (cpuNanos(pair.senderPid()) - sender0) / 1e9 / gigabytes;
                receiverCpu[p][round] = (cpuNanos(pair.receiverPid()) - receiver0) / 1e9 / gigabytes;
                if (pair.senderPid() <= 0 || pair.receiverPid() <= 0) {
                    senderCpu[p][round] = Double.NaN;
                    receiverCpu[p][round] = Double.NaN;
                }
                rates[p][round] = SinkProtocol.megabytesPerSecond(bytes, nanos);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            results.add(new Result(pairs.get(p), Samples.of(rates[p]), Samples.of(senderCpu[p]),
                    Samples.of(receiverCpu[p])));
        }
        return results;
    }

    /**
     * User + system CPU time of a whole process so far (Linux: /proc/<pid>/stat, 10 ms ticks); 0
     * for an unknown process (pid 0 or less).
     */
    static long cpuNanos(long pid) {
        if (pid <= 0) {
            return 0;
        }
        return ProcessHandle.of(pid)
                .flatMap(process -> process.info().totalCpuDuration())
                .orElseThrow(() -> new NoSuchElementException("no CPU time for process " + pid))
                .toNanos();
    }
}
