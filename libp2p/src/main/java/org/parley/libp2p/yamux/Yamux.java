package org.parley.libp2p.yamux;

import java.util.Objects;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.StreamMuxer;

/**
 * The yamux stream muxer ({@code /yamux/1.0.0}): starts {@link YamuxSession}s over secured
 * connections. Immutable and thread safe; one instance serves any number of connections.
 */
public final class Yamux implements StreamMuxer {

    public static final String PROTOCOL_ID = "/yamux/1.0.0";

    private final YamuxConfig config;

    /** A muxer with {@link YamuxConfig#DEFAULT}. */
    public Yamux() {
        this(YamuxConfig.DEFAULT);
    }

    public Yamux(YamuxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    public YamuxConfig config() {
        return config;
    }

    @Override
    public YamuxSession newSession(Duplex connection, boolean initiator) {
        return YamuxSession.start(connection, initiator, config, System::nanoTime);
    }
}
