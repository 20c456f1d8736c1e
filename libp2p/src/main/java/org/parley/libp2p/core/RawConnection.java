package org.parley.libp2p.core;

import org.parley.libp2p.multiaddr.Multiaddr;

/**
 * A connection as a {@link Transport} hands it over, before the host upgrades it: a byte stream
 * with the addresses of both ends. Threading as for {@link Duplex}.
 */
public interface RawConnection extends Duplex {

    /** Our end, for example {@code /ip4/127.0.0.1/tcp/4001} or {@code /memory/a}. */
    Multiaddr localAddress();

    /** The remote end as we see it. */
    Multiaddr remoteAddress();
}
