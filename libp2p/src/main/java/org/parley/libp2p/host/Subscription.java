package org.parley.libp2p.host;

/** A registration of a {@link HostEvent} subscriber; closing it stops further deliveries. Thread safe. */
public interface Subscription extends AutoCloseable {

    /** Stops deliveries to the subscriber; an event being delivered right now still completes. Idempotent. */
    @Override
    void close();
}
