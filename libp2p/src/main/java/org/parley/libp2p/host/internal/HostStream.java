package org.parley.libp2p.host.internal;

import java.io.InputStream;
import java.io.OutputStream;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Stream;

/**
 * A muxed stream with its negotiated protocol; closing or resetting it counts as activity on its
 * connection for the idle timeout. Threading as for {@link MuxedStream}.
 */
final class HostStream implements Stream {

    private final MuxedStream stream;
    private final String protocol;
    private final HostConnection connection;

    HostStream(MuxedStream stream, String protocol, HostConnection connection) {
        this.stream = stream;
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public long id() {
        return stream.id();
    }

    @Override
    public InputStream in() {
        return stream.in();
    }

    @Override
    public OutputStream out() {
        return stream.out();
    }

    @Override
    public void closeWrite() {
        stream.closeWrite();
    }

    @Override
    public void close() {
        stream.close();
        connection.touch();
    }

    @Override
    public void reset() {
        stream.reset();
        connection.touch();
    }

    @Override
    public String toString() {
        return protocol + " stream " + stream.id() + " with " + connection.remotePeer();
    }
}
