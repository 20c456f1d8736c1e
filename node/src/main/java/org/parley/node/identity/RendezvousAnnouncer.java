package org.parley.node.identity;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.dht.KadDht;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiformats.Base58;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this device findable by its user's rendezvous key: provides the key on the DHT once the
 * node has joined and, as long as no peer has taken the announcement, again whenever the routing
 * table has peers (a later join or refresh, a DHT server that identified). After the first
 * announcement a peer took, the DHT's own maintenance republishes the key. {@link #announce()}
 * runs on the node's join thread; the other methods are thread safe.
 */
public final class RendezvousAnnouncer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RendezvousAnnouncer.class);

    /**
     * How long to wait before announcing again when peers were known but none took the
     * announcement, or when no peer identified meanwhile: the DHT's maintenance tick, which is
     * also when it retries a join that found nobody.
     */
    static final Duration RETRY_INTERVAL = KadDht.MAINTENANCE_TICK;

    private final KadDht dht;
    private final byte[] key;
    private final Subscription subscription;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean peerIdentified;
    private int announcedTo;
    private boolean closed;

    /** Starts watching the host for identified peers; {@link #announce()} does the work. */
    public RendezvousAnnouncer(Host host, KadDht dht, byte[] key) {
        this.dht = dht;
        this.key = key.clone();
        this.subscription = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified) {
                signal(() -> peerIdentified = true);
            }
        });
    }

    /**
     * Provides the key until some peer takes it; returns then, or when closed or interrupted.
     * Call it after the DHT's first bootstrap.
     */
    public void announce() {
        String text = Base58.encode(key);
        // Even with no peer to announce to, a DHT server records itself as a provider and answers
        // for itself: a lone bootstrap node whose peers are all clients is findable at once.
        provide();
        try {
            while (!isClosed()) {
                int peers = dht.routingTable().size();
                if (peers == 0) {
                    awaitChange(true);
                    continue;
                }
                int taken = provide();
                if (taken > 0) {
                    log.info("announced rendezvous key {} to {} DHT peers", text, taken);
                    signal(() -> announcedTo = taken);
                    return;
                }
                log.info("none of the {} DHT peers took rendezvous key {}; trying again in {} s", peers, text,
                        RETRY_INTERVAL.toSeconds());
                awaitChange(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int provide() {
        try {
            return dht.provide(key);
        } catch (RuntimeException e) {
            log.warn("announcing rendezvous key {} failed: {}", Base58.encode(key), e.toString());
            return 0;
        }
    }

    /**
     * Waits for the retry interval, or with {@code wakeOnPeer} until a peer identifies (it may be a
     * DHT server that enters the empty routing table).
     */
    private void awaitChange(boolean wakeOnPeer) throws InterruptedException {
        long nanos = RETRY_INTERVAL.toNanos();
        lock.lock();
        try {
            peerIdentified = false;
            while (!closed && nanos > 0 && !(wakeOnPeer && peerIdentified)) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a peer has taken the announcement, for callers that need this device findable.
     *
     * @return how many peers took it, or 0 if none did within {@code timeout}
     */
    public int awaitAnnounced(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (announcedTo == 0 && !closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return announcedTo;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching and ends {@link #announce()}; the DHT stops republishing when it closes. */
    @Override
    public void close() {
        subscription.close();
        signal(() -> closed = true);
    }
}
