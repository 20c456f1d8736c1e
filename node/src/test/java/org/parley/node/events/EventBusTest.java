package org.parley.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.parley.libp2p.crypto.Ed25519PrivateKey;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;

class EventBusTest {

    /** Only for waits on delivery threads: a bus that works delivers in microseconds. */
    private static final long WAIT_SECONDS = 10;
    private static final PeerId PEER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());

    private final EventBus bus = new EventBus();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    /** A distinct event per {@code n}: a connection from port n. */
    static NodeEvent connected(int n) {
        return new NodeEvent.PeerConnected(PEER, Multiaddr.parse("/ip4/127.0.0.1/tcp/" + n), true);
    }

    @Test
    void everySubscriberGetsEveryEventInOrder() throws Exception {
        BlockingQueue<NodeEvent> first = new LinkedBlockingQueue<>();
        BlockingQueue<NodeEvent> second = new LinkedBlockingQueue<>();
        bus.subscribe("first", first::add);
        bus.subscribe("second", second::add);

        for (int i = 1; i <= 50; i++) {
            bus.publish(connected(i));
        }

        for (BlockingQueue<NodeEvent> received : List.of(first, second)) {
            for (int i = 1; i <= 50; i++) {
                assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(i));
            }
        }
    }

    @Test
    @Timeout(WAIT_SECONDS * 3)
    void slowSubscriberLosesItsOldestEventsIsToldHowManyAndNeverBlocksThePublisher() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<NodeEvent> received = new LinkedBlockingQueue<>();
        int capacity = 4;
        bus.subscribe("slow", capacity, event -> {
            received.add(event);
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        bus.publish(connected(0));
        assertThat(busy.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // The subscriber is stuck in event 0; a bus that waited for it would hang here.
        int published = 10 * EventBus.SUBSCRIBER_QUEUE_CAPACITY;
        for (int i = 1; i <= published; i++) {
            bus.publish(connected(i));
        }
        release.countDown();

        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(0));
        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new NodeEvent.EventsDropped(published - capacity));
        for (int i = published - capacity + 1; i <= published; i++) {
            assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(i));
        }
    }

    @Test
    void slowSubscriberDoesNotDelayAFastOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        bus.subscribe("stuck", 1, event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        BlockingQueue<NodeEvent> fast = new LinkedBlockingQueue<>();
        bus.subscribe("fast", fast::add);

        for (int i = 1; i <= 100; i++) {
            bus.publish(connected(i));
        }

        try {
            for (int i = 1; i <= 100; i++) {
                assertThat(fast.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(i));
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void closedSubscriptionReceivesNothingMore() throws Exception {
        BlockingQueue<NodeEvent> received = new LinkedBlockingQueue<>();
        EventSubscription subscription = bus.subscribe("gone", received::add);
        bus.publish(connected(1));
        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(1));

        subscription.close();
        bus.publish(connected(2));
        BlockingQueue<NodeEvent> witness = new LinkedBlockingQueue<>();
        bus.subscribe("witness", witness::add);
        bus.publish(connected(3));

        // The witness saw event 3, so event 2 (published before it) had its chance to arrive.
        assertThat(witness.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(3));
        assertThat(received).isEmpty();
        assertThat(bus.subscriberCount()).isEqualTo(1);
    }

    @Test
    void subscriberThatThrowsKeepsReceiving() throws Exception {
        BlockingQueue<NodeEvent> received = new LinkedBlockingQueue<>();
        bus.subscribe("clumsy", event -> {
            received.add(event);
            throw new IllegalStateException("boom");
        });

        bus.publish(connected(1));
        bus.publish(connected(2));

        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(1));
        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(connected(2));
    }
}
