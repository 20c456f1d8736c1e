package org.parley.node;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.dnsaddr.DnsaddrResolver;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Peerstore;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.libp2p.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node connected to its bootstrap peers: dials each at start, protects the connection
 * from the idle timeout, and redials with exponential backoff whenever it is lost. A
 * {@code /dnsaddr/} address is resolved again before each dial, so a changed DNS entry is followed.
 * One virtual thread per bootstrap address; addresses can be added and removed while it runs.
 * Thread safe.
 */
final class BootstrapKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BootstrapKeeper.class);

    /** Why a bootstrap peer is protected from trimming (see {@code Host.protect}). */
    static final String PROTECTION_TAG = "bootstrap";

    /** A peer that restarts is usually back within a second or two. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** A peer that is down for long is tried once a minute: cheap for us, quick enough for users. */
    static final Duration MAX_RETRY = Duration.ofMinutes(1);
    /**
     * How often a connected peer is checked even without a disconnect event: a safety net, as the
     * event wakes the keeper at once.
     */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);
    /** Spreads the redials of many nodes that lost the same peer at once. */
    static final double JITTER = 0.2;

    private final Host host;
    private final DnsaddrResolver dnsaddr;
    /**
     * The addresses kept, in the order given, each with the token of the thread keeping it (a
     * removed and re-added address gets a new thread; the old one sees its token gone and ends).
     * Guarded by {@link #lock}.
     */
    private final java.util.Map<Multiaddr, Object> addresses = new java.util.LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private Subscription subscription;
    private boolean closed;

    /**
     * @param addresses bootstrap multiaddrs, each ending in {@code /p2p/<PeerId>}
     * @param dnsaddr resolves the {@code /dnsaddr/} ones
     */
    BootstrapKeeper(Host host, List<Multiaddr> addresses, DnsaddrResolver dnsaddr) {
        this.host = host;
        this.dnsaddr = dnsaddr;
        addresses.forEach(address -> this.addresses.put(address, new Object()));
    }

    /** Protects the bootstrap peers and starts dialing them; returns at once. */
    void start() {
        subscription = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerDisconnected lost && lost.lastConnection() && isKept(lost.peer())) {
                wake();
            }
        });
        lock.lock();
        try {
            addresses.forEach(this::startKeeping);
        } finally {
            lock.unlock();
        }
    }

    /** The addresses kept now, in the order they were given or added. */
    List<Multiaddr> addresses() {
        lock.lock();
        try {
            return List.copyOf(addresses.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts keeping {@code address} (ending in {@code /p2p/<PeerId>}) connected, dialing it now.
     *
     * @return false if it is kept already
     */
    boolean add(Multiaddr address) {
        lock.lock();
        try {
            if (closed || addresses.containsKey(address)) {
                return false;
            }
            Object token = new Object();
            addresses.put(address, token);
            startKeeping(address, token);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops keeping {@code address}: no more redials, and its peer is no longer protected from the
     * idle timeout unless another kept address names it. An open connection is left to close by itself.
     *
     * @return false if it was not kept
     */
    boolean remove(Multiaddr address) {
        lock.lock();
        try {
            if (addresses.remove(address) == null) {
                return false;
            }
            if (!isKept(address.peerId())) {
                host.unprotect(address.peerId(), PROTECTION_TAG);
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Under {@link #lock}. */
    private void startKeeping(Multiaddr address, Object token) {
        // The threads of removed addresses have ended: forget them, so that edits do not pile them up.
        threads.removeIf(thread -> !thread.isAlive());
        host.protect(address.peerId(), PROTECTION_TAG);
        threads.add(Thread.ofVirtual().name("bootstrap-" + address.peerId()).start(() -> keep(address, token)));
    }

    private boolean isKept(PeerId peer) {
        lock.lock();
        try {
            return addresses.keySet().stream().anyMatch(a -> a.peerId().equals(peer));
        } finally {
            lock.unlock();
        }
    }

    private boolean isKept(Multiaddr address, Object token) {
        lock.lock();
        try {
            return !closed && addresses.get(address) == token;
        } finally {
            lock.unlock();
        }
    }

    private void keep(Multiaddr address, Object token) {
        PeerId peer = address.peerId();
        Duration retry = FIRST_RETRY;
        boolean reported = false;
        while (isKept(address, token)) {
            if (!host.connections(peer).isEmpty()) {
                pause(CHECK_INTERVAL);
                continue;
            }
            try {
                dial(address);
                log.info("connected to bootstrap peer {}", address);
                retry = FIRST_RETRY;
                reported = false;
            } catch (IOException e) {
                if (!isKept(address, token)) {
                    return;
                }
                if (!reported) {
                    log.warn("bootstrap peer {} is unreachable ({}); retrying with backoff up to every {} s",
                            address, e.getMessage(), MAX_RETRY.toSeconds());
                    reported = true;
                } else {
                    log.debug("bootstrap peer {} still unreachable: {}", address, e.getMessage());
                }
                pause(withJitter(retry));
                retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            }
        }
    }

    private void dial(Multiaddr address) throws IOException {
        if (!DnsaddrResolver.isDnsaddr(address)) {
            host.connect(address);
            return;
        }
        List<Multiaddr> resolved = dnsaddr.resolve(address).stream().map(Multiaddr::withoutPeerId).toList();
        // Kept briefly: the next dial resolves again.
        host.peerstore().addAddresses(address.peerId(), resolved, Peerstore.TEMPORARY_TTL);
        host.connect(address.peerId());
    }

    private static Duration withJitter(Duration delay) {
        double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofNanos((long) (delay.toNanos() * factor));
    }

    /** Waits for {@code delay}, a lost bootstrap connection, or {@link #close()}. */
    private void pause(Duration delay) {
        lock.lock();
        try {
            if (!closed) {
                changed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops redialing and waits for the dialing threads; leaves connections open. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (subscription != null) {
            subscription.close();
        }
        List<Thread> started;
        lock.lock();
        try {
            started = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread thread : started) {
            thread.interrupt();
        }
        for (Thread thread : started) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
