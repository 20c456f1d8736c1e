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

    /**
     * The kind of transport, as {@link org.parley.libp2p.host.Connection#transport()} reports it:
     * {@code tcp}, {@code memory}, {@code relayed}, {@code webrtc}. Each transport's connections
     * override this; {@code unknown} only marks one that does not.
     */
    default String transport() {
        return "unknown";
    }

    /**
     * True if the connection runs under limits of time or bytes that someone else imposes (a relay's
     * circuit): the host then serves only protocols that accept limited connections on it.
     */
    default boolean limited() {
        return false;
    }
}
