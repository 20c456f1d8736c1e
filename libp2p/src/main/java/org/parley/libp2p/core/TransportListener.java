package org.parley.libp2p.core;

import java.io.Closeable;
import java.util.List;
import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * What {@link Transport#listen} returns: the bound addresses, and the way to stop accepting.
 * Thread safe.
 */
public interface TransportListener extends Closeable {

    /**
     * The addresses others can dial, with real ports; a wildcard bind is expanded to one address
     * per local interface.
     */
    List<Multiaddr> addresses();

    /** Stops accepting; connections accepted before stay open. Idempotent. */
    @Override
    void close();
}
