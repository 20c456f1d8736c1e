package org.parley.node.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code scripts/bench storage}: what one {@link NodeDatabase#transaction} costs on a real database
 * file, with the smallest write a transaction makes (one row into {@code kv}), one transaction
 * after another on one thread. Prints each round's rate after warm-up rounds; the median is the
 * figure to compare.
 */
public final class TransactionBench {

    private static final int WARM_UP_ROUNDS = 2;
    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 20_000;

    private TransactionBench() {}

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : PER_ROUND;
        Path dir = Files.createTempDirectory("parley-transaction-bench");
        double[] rates = new double[ROUNDS];
        try (NodeDatabase db = NodeDatabase.open(dir.resolve("parley.db"))) {
            for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < perRound; i++) {
                    String key = round + "/" + i;
                    db.transaction(c -> {
                        try (var insert = c.prepareStatement(
                                "INSERT INTO kv (namespace, key, value) VALUES ('bench', ?, x'00')")) {
                            insert.setString(1, key);
                            return insert.executeUpdate();
                        }
                    });
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round >= 0) {
                    rates[round] = perRound / seconds;
                    System.out.printf("round %d: %,.0f transactions/s (%.1f us each)%n", round + 1, rates[round],
                            seconds * 1e6 / perRound);
                }
            }
        }
        java.util.Arrays.sort(rates);
        double median = rates[ROUNDS / 2];
        System.out.printf("one-row transactions on one thread, median of %d rounds of %,d: %,.0f transactions/s"
                + " (%.1f us each)%n", ROUNDS, perRound, median, 1e6 / median);
    }
}
