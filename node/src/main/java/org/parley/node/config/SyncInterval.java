package org.parley.node.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code syncInterval} setting: how often the node runs anti-entropy sync with the user's
 * other online devices. Written as a number with a unit, {@code 30s}, {@code 5m} or {@code 1h}
 * (or a bare number of seconds). Stateless.
 */
public final class SyncInterval {

    /** Five minutes: pushes carry new entries at once; this only mends what a lost push left behind. */
    public static final Duration DEFAULT = Duration.ofMinutes(5);

    /** Each run swaps version vectors with every online sibling; more often than this only costs. */
    public static final Duration MIN = Duration.ofSeconds(10);

    /** A day: a longer gap would leave a missed entry unseen for longer than anyone waits. */
    public static final Duration MAX = Duration.ofDays(1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*([smh]?)");

    private SyncInterval() {}

    /**
     * Reads {@code 30s}, {@code 5m}, {@code 1h} or a number of seconds.
     *
     * @throws IllegalArgumentException saying what is accepted, if {@code text} is not one of them
     *     or is outside {@link #MIN}..{@link #MAX}
     */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'syncInterval' must be a number with s, m or h, like \"5m\"; got '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        return check(d);
    }

    static Duration check(Duration d) {
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'syncInterval' " + text(d) + " is outside " + text(MIN) + ".."
                    + text(MAX));
        }
        return d;
    }

    /** {@code d} as this setting writes it, e.g. {@code 5m}. */
    public static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
