package org.parley.dht.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.dht.testing.ManualClock;

/** The idle-stream pool on fake streams and a fake clock: no sockets, no sleeps. */
class IdleStreamPoolTest {

    private static final Duration MAX_IDLE = Duration.ofSeconds(30);
    private static final int PER_PEER = 2;
    private static final int MAX_STREAMS = 256;

    /** A connection that can be closed; identity equality, like a host's connections. */
    static final class FakeConnection {
        boolean open = true;
    }

    /** A stream of one peer on one connection that records being closed, and where from. */
    final class FakeStream {
        final String peer;
        final FakeConnection connection;
        boolean closed;
        boolean closedUnderPoolLock;

        FakeStream(String peer, FakeConnection connection) {
            this.peer = peer;
            this.connection = connection;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final List<FakeStream> created = new ArrayList<>();
    private IdleStreamPool<FakeStream, String> pool;

    private final IdleStreamPool.Streams<FakeStream, String> fakeStreams = new IdleStreamPool.Streams<>() {
        @Override
        public String peer(FakeStream stream) {
            return stream.peer;
        }

        @Override
        public Object connection(FakeStream stream) {
            return stream.connection;
        }

        @Override
        public boolean isUsable(FakeStream stream) {
            return stream.connection.open;
        }

        @Override
        public void close(FakeStream stream) {
            stream.closed = true;
            stream.closedUnderPoolLock |= Thread.holdsLock(pool);
        }
    };

    IdleStreamPoolTest() {
        pool = new IdleStreamPool<>(fakeStreams, clock, MAX_IDLE, PER_PEER, MAX_STREAMS);
    }

    private FakeStream stream(String peer, FakeConnection connection) {
        FakeStream s = new FakeStream(peer, connection);
        created.add(s);
        return s;
    }

    @Test
    void tenThousandDistinctPeersQueriedKeepThePoolAtItsBound() {
        int maxSeen = 0;
        for (int i = 0; i < 10_000; i++) {
            String peer = "peer-" + i;
            // What a request does: look for an idle stream, open one, and pool it after the answer.
            assertThat(pool.take(peer)).isNull();
            pool.put(stream(peer, new FakeConnection()));
            maxSeen = Math.max(maxSeen, pool.size());
            assertThat(pool.peerCount()).isLessThanOrEqualTo(MAX_STREAMS);
            clock.advance(Duration.ofMillis(1));
        }

        assertThat(maxSeen).isEqualTo(MAX_STREAMS);
        assertThat(pool.size()).isEqualTo(MAX_STREAMS);
        assertThat(created.stream().filter(s -> !s.closed).map(s -> s.peer))
                .containsExactlyElementsOf(created.subList(10_000 - MAX_STREAMS, 10_000).stream().map(s -> s.peer).toList());
        assertThat(created).noneMatch(s -> s.closedUnderPoolLock);
    }

    @Test
    void tenThousandPeersSpreadOverTimeAreAllExpiredBySweeps() {
        for (int i = 0; i < 10_000; i++) {
            pool.put(stream("peer-" + i, new FakeConnection()));
            clock.advance(Duration.ofMillis(10));
            if (i % 1_000 == 999) {
                pool.expire();
                // 30 s of 10 ms steps is 3,000 streams, but the size cap is lower.
                assertThat(pool.size()).isLessThanOrEqualTo(MAX_STREAMS);
            }
        }
        clock.advance(MAX_IDLE);
        pool.expire();

        assertThat(pool.size()).isZero();
        assertThat(pool.peerCount()).isZero();
        assertThat(created).allMatch(s -> s.closed).noneMatch(s -> s.closedUnderPoolLock);
    }

    @Test
    void aStreamIsReusedWithinTheIdleTimeAndClosedAfterIt() {
        FakeConnection connection = new FakeConnection();
        FakeStream s = stream("a", connection);
        pool.put(s);
        clock.advance(MAX_IDLE.minusSeconds(1));
        assertThat(pool.take("a")).isSameAs(s);

        pool.put(s);
        clock.advance(MAX_IDLE);
        assertThat(pool.take("a")).isNull();
        assertThat(s.closed).isTrue();
        assertThat(s.closedUnderPoolLock).isFalse();
    }

    @Test
    void theSweepClosesExpiredStreamsWithoutAnyRequest() {
        FakeStream old = stream("a", new FakeConnection());
        pool.put(old);
        clock.advance(Duration.ofSeconds(20));
        FakeStream young = stream("b", new FakeConnection());
        pool.put(young);
        clock.advance(Duration.ofSeconds(10));

        pool.expire();

        assertThat(old.closed).isTrue();
        assertThat(young.closed).isFalse();
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.take("b")).isSameAs(young);
    }

    @Test
    void aClosedConnectionsStreamsAreDroppedAndTheOtherConnectionsKept() {
        FakeConnection first = new FakeConnection();
        FakeConnection second = new FakeConnection();
        FakeStream a1 = stream("a", first);
        FakeStream a2 = stream("a", second);
        FakeStream b1 = stream("b", first);
        pool.put(a1);
        pool.put(a2);
        pool.put(b1);

        first.open = false;
        pool.connectionClosed("a", first);

        assertThat(a1.closed).isTrue();
        assertThat(a1.closedUnderPoolLock).isFalse();
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.take("a")).isSameAs(a2);
        assertThat(pool.take("a")).isNull();
    }

    @Test
    void aStreamWhoseConnectionClosedUnnoticedIsNeverHandedOut() {
        FakeConnection connection = new FakeConnection();
        FakeStream s = stream("a", connection);
        pool.put(s);
        connection.open = false;

        assertThat(pool.take("a")).isNull();
        assertThat(s.closed).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void aStreamOnAClosedConnectionIsNotPooled() {
        FakeConnection connection = new FakeConnection();
        connection.open = false;
        FakeStream s = stream("a", connection);
        pool.put(s);

        assertThat(s.closed).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void keepsTheNewestStreamsOfAPeerAndClosesTheOldest() {
        FakeConnection connection = new FakeConnection();
        FakeStream first = stream("a", connection);
        FakeStream second = stream("a", connection);
        FakeStream third = stream("a", connection);
        pool.put(first);
        pool.put(second);
        pool.put(third);

        assertThat(first.closed).isTrue();
        assertThat(pool.size()).isEqualTo(PER_PEER);
        assertThat(pool.take("a")).isSameAs(third);
        assertThat(pool.take("a")).isSameAs(second);
    }

    @Test
    void closingThePoolClosesEveryStreamAndEveryLaterOne() {
        FakeStream a = stream("a", new FakeConnection());
        pool.put(a);
        pool.close();
        FakeStream late = stream("b", new FakeConnection());
        pool.put(late);

        assertThat(a.closed).isTrue();
        assertThat(late.closed).isTrue();
        assertThat(pool.size()).isZero();
        assertThat(created).noneMatch(s -> s.closedUnderPoolLock);
    }
}
