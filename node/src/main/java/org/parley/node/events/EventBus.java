package org.parley.node.events;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's event bus: features {@link #publish} {@link NodeEvent}s, subscribers (the
 * {@code /api/events} WebSocket, later others) receive them in order on a virtual thread of their
 * own. Each subscriber has a bounded queue: a slow one loses its oldest events and is told how
 * many by a {@link NodeEvent.EventsDropped}; publishing never waits for a subscriber.
 * Thread safe.
 */
public final class EventBus implements AutoCloseable {

    /**
     * Events a subscriber may fall behind by before it loses the oldest: far more than a burst of
     * connections or messages produces while a browser tab is busy for a second, and at a few
     * hundred bytes per event, well under a megabyte per subscriber.
     */
    public static final int SUBSCRIBER_QUEUE_CAPACITY = 1024;

    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Hands {@code event} to every subscriber's queue; never blocks on a subscriber. */
    public void publish(NodeEvent event) {
        for (Subscriber subscriber : subscribers) {
            subscriber.queue.offer(event);
        }
    }

    /**
     * Delivers every later event to {@code consumer}, in order, on a virtual thread named after
     * {@code name}. A consumer that throws is logged and keeps its subscription.
     */
    public EventSubscription subscribe(String name, Consumer<NodeEvent> consumer) {
        return subscribe(name, SUBSCRIBER_QUEUE_CAPACITY, consumer);
    }

    /**
     * As {@link #subscribe(String, Consumer)}, with room for {@code capacity} events before the
     * oldest are lost: for an in-process consumer that must see every event of a large burst.
     */
    public EventSubscription subscribe(String name, int capacity, Consumer<NodeEvent> consumer) {
        if (closed.get()) {
            throw new IllegalStateException("the event bus is closed: the node is stopping");
        }
        Subscriber subscriber = new Subscriber(name, new EventQueue(capacity), consumer);
        subscribers.add(subscriber);
        Thread.ofVirtual().name("events-" + name).start(subscriber::deliver);
        return subscriber;
    }

    /** How many subscribers are registered now. */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** Ends every subscription. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (Subscriber subscriber : subscribers) {
                subscriber.close();
            }
        }
    }

    private final class Subscriber implements EventSubscription {
        private final String name;
        private final EventQueue queue;
        private final Consumer<NodeEvent> consumer;
        private final AtomicBoolean ended = new AtomicBoolean();

        Subscriber(String name, EventQueue queue, Consumer<NodeEvent> consumer) {
            this.name = name;
            this.queue = queue;
            this.consumer = consumer;
        }

        void deliver() {
            try {
                while (!ended.get()) {
                    NodeEvent event = queue.take();
                    if (event == null) {
                        return;
                    }
                    try {
                        consumer.accept(event);
                    } catch (RuntimeException e) {
                        log.warn("event subscriber {} failed on {}: {}", name, event.type(), e.toString());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                subscribers.remove(this);
                queue.close();
            }
        }
    }
}
