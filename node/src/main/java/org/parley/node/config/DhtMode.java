package org.parley.node.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the node takes part in the DHT: answer queries (server), only ask (client), or decide. */
public enum DhtMode {
    /** Server once the node is known to be reachable, client until then. */
    AUTO,
    /** Always answer DHT queries; for nodes with a public address. */
    SERVER,
    /** Never answer DHT queries; for nodes behind NAT or on battery. */
    CLIENT;

    /** The lower-case name used in config files and on the command line. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code auto}, {@code server} or {@code client} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DhtMode parse(String text) {
        for (DhtMode mode : values()) {
            if (mode.configName().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown DHT mode '" + text + "'; expected one of "
                + Arrays.stream(values()).map(DhtMode::configName).collect(Collectors.joining(", ")));
    }
}
