package org.parley.dht.host;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outbound streams kept after an exchange so that the next request to the same peer skips the
 * stream negotiation. Bounded three ways: at most {@code maxPerPeer} streams per peer, at most
 * {@code maxStreams} in all (the longest idle goes first), and none older than {@code maxIdle};
 * a closed connection's streams are dropped at once ({@link #connectionClosed}) so the pool never
 * holds a dead session. Time comes from the injected clock.
 *
 * <p>Thread safe. Streams leaving the pool other than through {@link #take} are closed by the
 * calling thread after the pool's lock is released, so a slow close never blocks other callers.
 *
 * @param <S> the stream type
 * @param <P> what identifies a peer
 */
final class IdleStreamPool<S, P> implements AutoCloseable {

    /** How the pool sees a stream: whose it is, which connection carries it, how to close it. */
    interface Streams<S, P> {
        P peer(S stream);

        /** The stream's connection; compared with {@code equals} in {@link #connectionClosed}. */
        Object connection(S stream);

        /** False once the stream's connection has closed: such a stream is not handed out again. */
        boolean isUsable(S stream);

        /** Closes a stream that leaves the pool unused; must not throw. */
        void close(S stream);
    }

    private record Entry<S, P>(long id, S stream, P peer, Object connection, Instant since) {}

    private final Streams<S, P> streams;
    private final InstantSource clock;
    private final Duration maxIdle;
    private final int maxPerPeer;
    private final int maxStreams;
    /** Every entry, oldest first (entries are added with a clock that does not go back). */
    private final LinkedHashMap<Long, Entry<S, P>> byAge = new LinkedHashMap<>();
    /** The same entries per peer, oldest first; a peer with none has no key. */
    private final Map<P, ArrayDeque<Entry<S, P>>> byPeer = new HashMap<>();
    private long nextId;
    private boolean closed;

    IdleStreamPool(Streams<S, P> streams, InstantSource clock, Duration maxIdle, int maxPerPeer, int maxStreams) {
        if (maxPerPeer < 1 || maxStreams < 1 || maxIdle.isNegative() || maxIdle.isZero()) {
            throw new IllegalArgumentException("pool limits must be positive");
        }
        this.streams = Objects.requireNonNull(streams);
        this.clock = Objects.requireNonNull(clock);
        this.maxIdle = maxIdle;
        this.maxPerPeer = maxPerPeer;
        this.maxStreams = maxStreams;
    }

    /**
     * Returns the most recently used idle stream to {@code peer} that is still usable and younger
     * than {@code maxIdle}, removing it from the pool; null if there is none.
     */
    S take(P peer) {
        List<S> dropped = new ArrayList<>();
        S found = null;
        synchronized (this) {
            Instant now = clock.instant();
            dropExpired(now, dropped);
            ArrayDeque<Entry<S, P>> queue = byPeer.get(peer);
            while (queue != null && !queue.isEmpty() && found == null) {
                Entry<S, P> e = queue.pollLast();
                byAge.remove(e.id());
                if (streams.isUsable(e.stream())) {
                    found = e.stream();
                } else {
                    dropped.add(e.stream());
                }
            }
            if (queue != null && queue.isEmpty()) {
                byPeer.remove(peer);
            }
        }
        closeAll(dropped);
        return found;
    }

    /**
     * Keeps {@code stream} for reuse, making room by dropping its peer's oldest stream past
     * {@code maxPerPeer} and the pool's oldest past {@code maxStreams}. A stream whose connection
     * has closed, or any stream after {@link #close()}, is closed instead.
     */
    void put(S stream) {
        List<S> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed || !streams.isUsable(stream)) {
                dropped.add(stream);
            } else {
                Instant now = clock.instant();
                dropExpired(now, dropped);
                P peer = streams.peer(stream);
                Entry<S, P> entry = new Entry<>(nextId++, stream, peer, streams.connection(stream), now);
                ArrayDeque<Entry<S, P>> queue = byPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
                queue.addLast(entry);
                byAge.put(entry.id(), entry);
                if (queue.size() > maxPerPeer) {
                    dropped.add(remove(queue.peekFirst()));
                }
                while (byAge.size() > maxStreams) {
                    dropped.add(remove(byAge.firstEntry().getValue()));
                }
            }
        }
        closeAll(dropped);
    }

    /** Drops (and closes) every pooled stream of {@code peer} on {@code connection}. */
    void connectionClosed(P peer, Object connection) {
        List<S> dropped = new ArrayList<>();
        synchronized (this) {
            ArrayDeque<Entry<S, P>> queue = byPeer.get(peer);
            if (queue != null) {
                for (Entry<S, P> e : List.copyOf(queue)) {
                    if (e.connection().equals(connection)) {
                        dropped.add(remove(e));
                    }
                }
            }
        }
        closeAll(dropped);
    }

    /** Drops (and closes) the streams idle longer than {@code maxIdle}; for a periodic sweep. */
    void expire() {
        List<S> dropped = new ArrayList<>();
        synchronized (this) {
            dropExpired(clock.instant(), dropped);
        }
        closeAll(dropped);
    }

    /** Pooled streams, for tests and status. */
    synchronized int size() {
        return byAge.size();
    }

    /** Peers with at least one pooled stream, for tests and status. */
    synchronized int peerCount() {
        return byPeer.size();
    }

    /** Closes every pooled stream; later {@link #put}s close their stream at once. Idempotent. */
    @Override
    public void close() {
        List<S> dropped = new ArrayList<>();
        synchronized (this) {
            closed = true;
            byAge.values().forEach(e -> dropped.add(e.stream()));
            byAge.clear();
            byPeer.clear();
        }
        closeAll(dropped);
    }

    private void dropExpired(Instant now, List<S> dropped) {
        Instant staleBefore = now.minus(maxIdle);
        Iterator<Entry<S, P>> oldestFirst = byAge.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry<S, P> e = oldestFirst.next();
            if (e.since().isAfter(staleBefore)) {
                return;
            }
            oldestFirst.remove();
            removeFromPeer(e);
            dropped.add(e.stream());
        }
    }

    private S remove(Entry<S, P> e) {
        byAge.remove(e.id());
        removeFromPeer(e);
        return e.stream();
    }

    private void removeFromPeer(Entry<S, P> e) {
        ArrayDeque<Entry<S, P>> queue = byPeer.get(e.peer());
        queue.remove(e);
        if (queue.isEmpty()) {
            byPeer.remove(e.peer());
        }
    }

    private void closeAll(List<S> dropped) {
        for (S s : dropped) {
            streams.close(s);
        }
    }
}
