package org.parley.node.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.node.events.EventBusTest.connected;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void fullQueueDropsTheOldestAndReportsTheCountInTheirPlace() throws Exception {
        EventQueue queue = new EventQueue(3);
        for (int i = 1; i <= 5; i++) {
            queue.offer(connected(i));
        }

        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(new NodeEvent.EventsDropped(2));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(connected(3));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(connected(4));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(connected(5));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void dropCountStartsAgainAfterTheMarkerIsTaken() throws Exception {
        EventQueue queue = new EventQueue(1);
        queue.offer(connected(1));
        queue.offer(connected(2));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(new NodeEvent.EventsDropped(1));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(connected(2));
        queue.offer(connected(3));
        queue.offer(connected(4));
        queue.offer(connected(5));

        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(new NodeEvent.EventsDropped(2));
        assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo(connected(5));
    }

    @Test
    void closedQueueGivesNothingAndTakesNothing() throws Exception {
        EventQueue queue = new EventQueue(2);
        queue.offer(connected(1));
        queue.close();
        queue.offer(connected(2));

        assertThat(queue.poll(0, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void takeWaitsForTheNextEventAndHandsOutTheDropMarkerFirst() throws Exception {
        EventQueue queue = new EventQueue(1);
        CompletableFuture<NodeEvent> taken = waitingTaker(queue);

        queue.offer(connected(1));
        assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(1));

        queue.offer(connected(2));
        queue.offer(connected(3));
        assertThat(queue.take()).isEqualTo(new NodeEvent.EventsDropped(1));
        assertThat(queue.take()).isEqualTo(connected(3));
    }

    @Test
    void closeWakesAWaitingTakerWithNothing() throws Exception {
        EventQueue queue = new EventQueue(2);
        CompletableFuture<NodeEvent> taken = waitingTaker(queue);

        queue.close();

        assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
        assertThat(queue.take()).isNull();
    }

    /** What a take on another thread returns; that take is still waiting when this returns. */
    private static CompletableFuture<NodeEvent> waitingTaker(EventQueue queue) throws InterruptedException {
        CompletableFuture<NodeEvent> taken = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                taken.complete(queue.take());
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        Thread.sleep(50);
        assertThat(taken).as("a take on an empty queue").isNotDone();
        return taken;
    }

    @Test
    void capacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new EventQueue(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
