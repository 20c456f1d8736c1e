package org.parley.node.nat;

import java.util.Locale;

/** When a node relays circuits for peers behind NATs: always, never, or while AutoNAT finds it public. */
public enum RelayServicePolicy {
    /** Serve the hop protocol from the start, whatever AutoNAT says. */
    ON,
    /** Never serve it. */
    OFF,
    /** Serve it while AutoNAT finds the node publicly reachable: a relay behind a NAT helps no one. */
    AUTO;

    /** The word used in config and on the command line. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code on}, {@code off} or {@code auto}, in any case.
     *
     * @throws IllegalArgumentException naming the accepted words
     */
    public static RelayServicePolicy parse(String text) {
        for (RelayServicePolicy policy : values()) {
            if (policy.configName().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return policy;
            }
        }
        throw new IllegalArgumentException("relay service must be on, off or auto, not '" + text + "'");
    }
}
