package org.parley.libp2p.protocol.relay.wire;

import java.time.Duration;

/**
 * What a relay allows one circuit: how long it lives and how many bytes it carries in each
 * direction. Zero means no limit of that kind, as on the wire.
 *
 * @param duration the longest life of the circuit, whole seconds; {@link Duration#ZERO} for none
 * @param dataBytes the most bytes relayed per direction; 0 for none
 */
public record RelayLimit(Duration duration, long dataBytes) {

    /** No limit at all. */
    public static final RelayLimit NONE = new RelayLimit(Duration.ZERO, 0);

    public RelayLimit {
        if (duration.isNegative() || dataBytes < 0) {
            throw new IllegalArgumentException("a relay limit cannot be negative: " + duration + ", " + dataBytes);
        }
    }

    /** True if the circuit is limited in time or bytes, so the connection over it is a limited one. */
    public boolean limits() {
        return !duration.isZero() || dataBytes > 0;
    }
}
