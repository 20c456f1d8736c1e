package org.parley.node.events;

/** A subscriber's registration on the {@link EventBus}; closing it ends deliveries. Thread safe. */
public interface EventSubscription extends AutoCloseable {

    /** Stops deliveries and discards queued events; an event being delivered completes. Idempotent. */
    @Override
    void close();
}
