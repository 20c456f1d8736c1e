package org.parley.libp2p.host.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers host events to subscribers in the order they were emitted, on one thread. Emitting
 * never blocks, so the host may emit while holding its locks. Thread safe.
 */
final class EventDispatcher {

    /**
     * Events waiting for delivery. Every event stands for a connection opening, closing or being
     * identified, so a backlog this deep means a subscriber has been stuck for thousands of
     * connections; beyond it events are dropped (and logged) rather than blocking the network.
     */
    static final int MAX_QUEUED_EVENTS = 65_536;

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    /** Marks the end of the queue at close; never delivered. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(MAX_QUEUED_EVENTS);
    private final CopyOnWriteArrayList<Consumer<HostEvent>> subscribers = new CopyOnWriteArrayList<>();
    private volatile Thread thread;

    void start(HostThreads threads) {
        thread = threads.start("events", this::run);
    }

    Subscription subscribe(Consumer<HostEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void emit(HostEvent event) {
        if (!queue.offer(event)) {
            log.error("host event queue is full ({} events): a subscriber is stuck; dropped {}",
                    MAX_QUEUED_EVENTS, event);
        }
    }

    /** Delivers what is queued, then ends the dispatcher thread. */
    void close() {
        try {
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == END) {
                return;
            }
            HostEvent event = (HostEvent) next;
            for (Consumer<HostEvent> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    log.error("host event subscriber {} failed on {}", subscriber, event, e);
                }
            }
        }
    }

    boolean isDispatcherThread() {
        return Thread.currentThread() == thread;
    }
}
