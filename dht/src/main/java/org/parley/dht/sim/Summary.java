package org.parley.dht.sim;

import java.util.Arrays;

/** Median, 95th percentile and mean of a sample. Immutable. */
public record Summary(double median, double p95, double mean) {

    public static Summary of(int[] values) {
        if (values.length == 0) {
            return new Summary(0, 0, 0);
        }
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Summary(percentile(sorted, 0.5), percentile(sorted, 0.95), Arrays.stream(sorted).average().orElse(0));
    }

    /** Nearest-rank percentile. */
    private static double percentile(int[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
