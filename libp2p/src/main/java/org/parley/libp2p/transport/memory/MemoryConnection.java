package org.parley.libp2p.transport.memory;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.libp2p.core.RawConnection;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * One end of an in-memory connection: a {@link MemoryPipe} end with the {@code /memory/} addresses
 * of both sides. Threading as for {@link MemoryPipe}.
 */
public final class MemoryConnection implements RawConnection {

    private final MemoryPipe.End end;
    private final Multiaddr localAddress;
    private final Multiaddr remoteAddress;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    MemoryConnection(MemoryPipe.End end, Multiaddr localAddress, Multiaddr remoteAddress, Runnable onClose) {
        this.end = end;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.onClose = onClose;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public String transport() {
        return "memory";
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InputStream in() {
        return end.in();
    }

    /** Writes to the other end; {@code close()} of this stream ends our writing side only, like TCP's. */
    @Override
    public OutputStream out() {
        return end.out();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        end.close();
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "memory " + localAddress + " <-> " + remoteAddress;
    }
}
