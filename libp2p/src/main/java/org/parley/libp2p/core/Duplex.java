package org.parley.libp2p.core;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A bidirectional byte stream: a socket, a Noise channel, a yamux stream or an in-memory pipe.
 *
 * <p>Threading: one thread may read while another writes; two concurrent readers (or two
 * concurrent writers) must synchronize themselves. {@link #close()} may be called from any thread
 * and wakes blocked readers and writers with a {@link ConnectionClosedException}.
 */
public interface Duplex extends Closeable {

    /** The reading side; returns -1 once the remote side has finished writing. */
    InputStream in();

    /** The writing side; {@code flush()} pushes buffered bytes to the wire. */
    OutputStream out();

    /** Closes both directions and releases the underlying resource. Idempotent. */
    @Override
    void close();
}
