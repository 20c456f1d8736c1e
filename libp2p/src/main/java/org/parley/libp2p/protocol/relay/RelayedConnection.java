package org.parley.libp2p.protocol.relay;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.protocol.relay.wire.RelayLimit;

/**
 * A circuit through a relay as a raw connection: the hop stream (on the dialing side) or the stop
 * stream (on the target's side), after both ends said OK. The host upgrades it with Noise and
 * yamux like a TCP socket. Limited if the relay announced a limit. Threading as for the stream.
 */
final class RelayedConnection implements RawConnection {

    /** What {@link #transport()} reports for every relayed connection. */
    static final String TRANSPORT = "relayed";

    private final Stream stream;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final RelayLimit limit;
    private final CountDownLatch closed = new CountDownLatch(1);

    RelayedConnection(Stream stream, Multiaddr localAddress, Multiaddr remoteAddress, RelayLimit limit) {
        this.stream = stream;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.limit = limit == null ? RelayLimit.NONE : limit;
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
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public boolean limited() {
        return limit.limits();
    }

    /** The relay's limits on this circuit. */
    RelayLimit limit() {
        return limit;
    }

    @Override
    public void close() {
        stream.close();
        closed.countDown();
    }

    /** Blocks until {@link #close()} was called: the STOP handler holds its stream open until then. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public String toString() {
        return "circuit " + localAddress + " <-> " + remoteAddress;
    }
}
