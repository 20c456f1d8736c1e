package org.parley.libp2p.host;

/**
 * Serves one inbound stream of a registered protocol. Called on its own virtual thread, so it may
 * block; the host resets the stream if the handler throws and closes it when the handler returns.
 * On limited (relayed) connections the host offers only handlers that
 * {@linkplain #acceptsLimitedConnections() accept them}.
 */
@FunctionalInterface
public interface StreamHandler {

    void handle(Stream stream) throws Exception;

    /**
     * True if the host may run this handler on a limited (relayed) connection, whose relay cuts it
     * after a short time or a few bytes. False by default: bulk protocols wait for a direct
     * connection. Identify, ping and signaling say yes, through {@link #acceptingLimited}.
     */
    default boolean acceptsLimitedConnections() {
        return false;
    }

    /** {@code handler}, declared to accept limited connections as well. */
    static StreamHandler acceptingLimited(StreamHandler handler) {
        return new StreamHandler() {
            @Override
            public void handle(Stream stream) throws Exception {
                handler.handle(stream);
            }

            @Override
            public boolean acceptsLimitedConnections() {
                return true;
            }
        };
    }
}
