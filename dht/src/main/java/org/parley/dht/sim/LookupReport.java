package org.parley.dht.sim;

import java.time.Duration;
import java.util.Locale;

/**
 * The result of one batch of simulated lookups.
 *
 * @param rounds rounds per lookup ({@link org.parley.dht.query.QueryStats#rounds()})
 * @param messages requests sent per lookup
 */
public record LookupReport(String scenario, int lookups, int successes, Summary rounds, Summary messages,
        Duration wallTime) {

    public double successRate() {
        return lookups == 0 ? 0 : (double) successes / lookups;
    }

    /** The table header matching {@link #row()}. */
    public static String header() {
        return String.format(Locale.ROOT, "%-44s %8s %9s %16s %16s %9s", "scenario", "lookups", "success",
                "rounds med/p95", "msgs med/p95", "time");
    }

    /** One fixed-width table row. */
    public String row() {
        return String.format(Locale.ROOT, "%-44s %8d %8.2f%% %16s %16s %8.1fs", scenario, lookups, 100 * successRate(),
                fmt(rounds.median()) + " / " + fmt(rounds.p95()), fmt(messages.median()) + " / " + fmt(messages.p95()),
                wallTime.toMillis() / 1000.0);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
