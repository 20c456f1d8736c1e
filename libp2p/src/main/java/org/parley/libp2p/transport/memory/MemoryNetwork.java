package org.parley.libp2p.transport.memory;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.core.Transport;
import org.parley.libp2p.core.TransportListener;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * A network inside one JVM: the place where {@link MemoryTransport}s listen on {@code /memory/<name>}
 * addresses and dial each other, so a test can run many whole hosts without sockets. Every host
 * built with the same network (it is a {@link Transport.Factory}) can reach every other. Thread
 * safe.
 *
 * <p>Connections are {@link MemoryPipe}s: bounded buffers, blocking reads and writes, no latency.
 * The network counts open connection ends and listeners so a test can prove nothing is left open.
 */
public final class MemoryNetwork implements Transport.Factory {

    private final int bufferSize;
    private final Map<String, MemoryListener> listeners = new ConcurrentHashMap<>();
    private final AtomicLong nextName = new AtomicLong(1);
    private final AtomicInteger openEnds = new AtomicInteger();

    /** A network whose connections buffer {@link MemoryPipe#DEFAULT_BUFFER_SIZE} bytes per direction. */
    public MemoryNetwork() {
        this(MemoryPipe.DEFAULT_BUFFER_SIZE);
    }

    /** A network whose connections buffer at most {@code bufferSize} bytes per direction. */
    public MemoryNetwork(int bufferSize) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /** A transport on this network; it needs no threads of its own. */
    @Override
    public MemoryTransport create(ThreadFactory threads) {
        return new MemoryTransport(this);
    }

    /** A {@code /memory/<name>} address nobody on this network has used yet, to listen on. */
    public Multiaddr newAddress() {
        return MemoryTransport.address("node-" + nextName.getAndIncrement());
    }

    /** Listeners currently bound. */
    public int listenerCount() {
        return listeners.size();
    }

    /** Connection ends not yet closed (each connection has two). */
    public int openConnectionEnds() {
        return openEnds.get();
    }

    TransportListener listen(String name, Consumer<RawConnection> acceptor) throws IOException {
        MemoryListener listener = new MemoryListener(name, acceptor);
        if (listeners.putIfAbsent(name, listener) != null) {
            throw new BindException("memory address " + listener.address + " is already in use");
        }
        return listener;
    }

    RawConnection dial(String name) throws IOException {
        MemoryListener listener = listeners.get(name);
        Multiaddr target = MemoryTransport.address(name);
        if (listener == null) {
            throw new ConnectException("nothing listens at " + target);
        }
        // Like an ephemeral port: the dialing end gets a name of its own, unique on this network.
        Multiaddr dialerAddress = MemoryTransport.address("dialer-" + nextName.getAndIncrement());
        MemoryPipe.Pair pipe = MemoryPipe.pair(bufferSize);
        openEnds.addAndGet(2);
        MemoryConnection ours = new MemoryConnection(pipe.initiator(), dialerAddress, target, openEnds::decrementAndGet);
        MemoryConnection theirs = new MemoryConnection(pipe.responder(), target, dialerAddress,
                openEnds::decrementAndGet);
        try {
            listener.acceptor.accept(theirs);
        } catch (RuntimeException e) {
            theirs.close();
            ours.close();
            throw new ConnectException("the listener at " + target + " failed to accept: " + e);
        }
        return ours;
    }

    /** A bound name; dials are handed to its acceptor on the dialer's thread. */
    private final class MemoryListener implements TransportListener {
        private final String name;
        private final Multiaddr address;
        private final Consumer<RawConnection> acceptor;

        MemoryListener(String name, Consumer<RawConnection> acceptor) {
            this.name = name;
            this.address = MemoryTransport.address(name);
            this.acceptor = acceptor;
        }

        @Override
        public List<Multiaddr> addresses() {
            return List.of(address);
        }

        @Override
        public void close() {
            listeners.remove(name, this);
        }

        @Override
        public String toString() {
            return "memory listener " + address;
        }
    }
}
