package org.parley.node.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The {@code coverTraffic} setting: how many dummy chat envelopes a node sends each connected,
 * accepted contact per minute, so that an observer of the link cannot tell when a real message
 * went; 0 is off (the default). Written {@code "off"}, {@code "on"} (the default rate) or a number
 * of envelopes per minute. Immutable.
 */
public record CoverTraffic(int perMinute) {

    /**
     * The rate of {@code "on"}: one envelope every 10 s per contact. A real message then hides
     * among six dummies a minute at a cost of about 55 bytes/s per contact (a 512-byte frame with
     * its framing, and a 33-byte ack back), which a phone on a metered link can afford.
     */
    public static final int DEFAULT_PER_MINUTE = 6;

    /**
     * The highest rate: ten a second per contact (about 5.5 KB/s each); more would cost CPU and
     * bandwidth for nothing an observer could not already learn at this rate.
     */
    public static final int MAX_PER_MINUTE = 600;

    public static final CoverTraffic OFF = new CoverTraffic(0);

    public CoverTraffic {
        if (perMinute < 0 || perMinute > MAX_PER_MINUTE) {
            throw new IllegalArgumentException("coverTraffic of " + perMinute + " envelopes a minute is outside 0.."
                    + MAX_PER_MINUTE + "; write \"off\", \"on\" (" + DEFAULT_PER_MINUTE
                    + " a minute) or a number of envelopes a minute");
        }
    }

    /**
     * Reads {@code "off"}, {@code "on"} or a number of envelopes per minute.
     *
     * @throws IllegalArgumentException naming what is accepted
     */
    public static CoverTraffic parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "off" -> OFF;
            case "on" -> new CoverTraffic(DEFAULT_PER_MINUTE);
            default -> {
                try {
                    yield new CoverTraffic(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("coverTraffic '" + text + "' is not \"off\", \"on\" or a number"
                            + " of envelopes a minute (1.." + MAX_PER_MINUTE + ")", e);
                }
            }
        };
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /** The time between two envelopes to one contact; only when {@link #enabled()}. */
    public Duration interval() {
        if (!enabled()) {
            throw new IllegalStateException("cover traffic is off");
        }
        return Duration.ofMillis(60_000L / perMinute);
    }
}
