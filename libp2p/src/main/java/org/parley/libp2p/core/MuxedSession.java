package org.parley.libp2p.core;

import java.io.IOException;

/**
 * A stream multiplexer running over one secured connection.
 *
 * <p>Owns the connection's single reader thread. Thread safe: streams may be opened and accepted
 * from any number of threads.
 */
public interface MuxedSession extends AutoCloseable {

    /** Opens a new outbound stream; fails with {@link ConnectionClosedException} after close or go-away. */
    MuxedStream openStream() throws IOException;

    /**
     * Waits for the next inbound stream.
     *
     * @throws ConnectionClosedException once the session is closed and no inbound stream is left
     */
    MuxedStream acceptStream() throws IOException, InterruptedException;

    /** True until the session is closed by either side or by an error. */
    boolean isOpen();

    /** Number of streams currently open in either direction. */
    int streamCount();

    /** Closes the session (yamux GO_AWAY, then the underlying connection). Idempotent. */
    @Override
    void close();
}
