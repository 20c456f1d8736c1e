package org.parley.node.sync;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.journal.DeviceRoster;
import org.parley.journal.InvalidEntryException;
import org.parley.journal.Journal;
import org.parley.journal.protocol.ExchangeResult;
import org.parley.journal.protocol.JournalProtocol;
import org.parley.journal.protocol.JournalSync;
import org.parley.journal.protocol.SyncListener;
import org.parley.libp2p.host.Connection;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Stream;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.events.EventBus;
import org.parley.node.events.NodeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History sync in the node: decides when this device reconciles its journal with its siblings
 * (when one connects, right after a local append, and every sync interval), runs the exchanges,
 * and keeps each sibling's sync state for the API and the events. Exchanges with one sibling run
 * one at a time; requests that arrive meanwhile fold into one follow-up run. Thread safe.
 */
public final class SyncService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    /** The default anti-entropy period: catches anything a missed push or a lost connection left behind. */
    public static final Duration DEFAULT_INTERVAL = org.parley.node.config.SyncInterval.DEFAULT;

    /**
     * Exchanges one sync runs back to back while a side still has more than one exchange carries:
     * 8 × 131,072 entries covers any real history; beyond that the next trigger continues.
     */
    static final int MAX_ROUNDS = 8;

    private final Host host;
    private final Journal journal;
    private final DeviceRoster roster;
    private final EventBus events;
    private final InstantSource clock;
    private final StateListener listener;
    private final JournalSync sync;
    private final Map<PeerId, PeerRuns> runs = new ConcurrentHashMap<>();
    private final Map<PeerId, DeviceSyncState> states = new ConcurrentHashMap<>();
    private final Map<PeerId, ExchangeResult> lastExchanges = new ConcurrentHashMap<>();
    private final List<Runnable> storedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Subscription subscription;
    private final ScheduledExecutorService timer;
    private final long intervalMillis;
    private volatile boolean closed;

    /**
     * The first wait before a failed sync with a sibling is tried again, doubled for each failure in
     * a row up to the anti-entropy interval: an exchange cut by a restart or a busy peer should not
     * leave a fresh entry waiting for the next periodic round (5 minutes by default).
     */
    static final long FIRST_RETRY_MILLIS = 1_000;

    SyncService(Host host, Journal journal, DeviceRoster roster, EventBus events, InstantSource clock,
            Duration interval) {
        this.host = host;
        this.journal = journal;
        this.roster = roster;
        this.events = events;
        this.clock = clock;
        this.listener = new StateListener();
        this.sync = new JournalSync(journal, roster, listener);
        this.subscription = host.subscribe(event -> {
            // Both sides see the connection; one exchange carries both directions, so only the
            // device with the lower PeerId starts it (two at once would send the same entries twice).
            if (event instanceof HostEvent.PeerIdentified identified && isSibling(identified.peer())
                    && host.peerId().compareTo(identified.peer()) < 0) {
                requestSync(identified.peer());
            }
        });
        journal.onAppend(entry -> onlineSiblings().forEach(this::requestSync));
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sync-timer").daemon()
                .factory());
        long millis = interval.toMillis();
        this.intervalMillis = millis;
        timer.scheduleWithFixedDelay(() -> onlineSiblings().forEach(this::requestSync), millis, millis,
                TimeUnit.MILLISECONDS);
    }

    /** The responder for {@link JournalProtocol#PROTOCOL_ID}. */
    StreamHandler handler() {
        return sync.handler();
    }

    public Journal journal() {
        return journal;
    }

    /** Sibling devices connected now. */
    public List<PeerId> onlineSiblings() {
        Set<PeerId> peers = new LinkedHashSet<>();
        for (Connection c : host.connections()) {
            if (isSibling(c.remotePeer())) {
                peers.add(c.remotePeer());
            }
        }
        return List.copyOf(peers);
    }

    private boolean isSibling(PeerId peer) {
        return !peer.equals(host.peerId()) && roster.accepts(peer);
    }

    /** Each sibling this device has synced with or tried to, by PeerId. */
    public List<DeviceSyncState> states() {
        List<DeviceSyncState> out = new ArrayList<>(states.values());
        for (PeerId peer : onlineSiblings()) {
            if (!states.containsKey(peer)) {
                out.add(DeviceSyncState.never(peer));
            }
        }
        out.sort(Comparator.comparing(DeviceSyncState::device));
        return out;
    }

    /**
     * Calls {@code listener} after each exchange that ended (done, refused or broken), on the
     * exchange's thread: entries a sibling sent are stored by then (a broken exchange keeps the
     * batches before the break).
     */
    void onExchangeEnded(Runnable listener) {
        storedListeners.add(listener);
    }

    private void exchangeEnded() {
        for (Runnable listener : storedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("after a journal exchange: {}", e.toString());
            }
        }
    }

    /** Starts a sync with every online sibling in the background (the device list changed, the node started). */
    public void requestSyncWithSiblings() {
        onlineSiblings().forEach(this::requestSync);
    }

    /** The last exchange with {@code peer} that finished, in either role. */
    public Optional<ExchangeResult> lastExchange(PeerId peer) {
        return Optional.ofNullable(lastExchanges.get(peer));
    }

    /**
     * Syncs with every online sibling now, on the calling thread, and returns every exchange that
     * ran. A sibling whose exchange failed shows it in {@link #states()}.
     */
    public List<ExchangeResult> syncNow() {
        List<ExchangeResult> results = new ArrayList<>();
        for (PeerId peer : onlineSiblings()) {
            results.addAll(runExchanges(peer));
        }
        return results;
    }

    /** Starts a sync with {@code peer} in the background, or folds into one already waiting. */
    void requestSync(PeerId peer) {
        if (closed) {
            return;
        }
        PeerRuns peerRuns = runs.computeIfAbsent(peer, p -> new PeerRuns());
        if (peerRuns.waiting.getAndSet(true)) {
            return;
        }
        Thread.ofVirtual().name("sync-" + peer.toBase58()).start(() -> runExchanges(peer));
    }

    private List<ExchangeResult> runExchanges(PeerId peer) {
        PeerRuns peerRuns = runs.computeIfAbsent(peer, p -> new PeerRuns());
        List<ExchangeResult> results = new ArrayList<>();
        boolean failed = false;
        peerRuns.lock.lock();
        try {
            peerRuns.waiting.set(false);
            for (int round = 0; round < MAX_ROUNDS && !closed; round++) {
                Stream stream;
                try {
                    stream = host.newStream(peer, JournalProtocol.PROTOCOL_ID);
                } catch (IOException e) {
                    listener.failed(peer, e);
                    throw e;
                }
                ExchangeResult result = sync.sync(stream);
                results.add(result);
                if (!result.more()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The listener has recorded and reported it; the next trigger tries again.
            log.debug("sync with {} stopped: {}", peer, e.toString());
            failed = true;
        } finally {
            peerRuns.lock.unlock();
        }
        if (failed) {
            retryLater(peer, peerRuns);
        } else {
            peerRuns.failures.set(0);
        }
        return results;
    }

    /** Tries a failed sync again after a backoff, if the sibling is still online then. */
    private void retryLater(PeerId peer, PeerRuns peerRuns) {
        if (closed) {
            return;
        }
        int inARow = peerRuns.failures.incrementAndGet();
        long delay = Math.min(FIRST_RETRY_MILLIS << Math.min(inARow - 1, 20), intervalMillis);
        try {
            timer.schedule(() -> {
                if (onlineSiblings().contains(peer)) {
                    requestSync(peer);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // Closed meanwhile: nothing to retry.
        }
    }

    private void setState(DeviceSyncState state) {
        states.put(state.device(), state);
        events.publish(new NodeEvent.SyncState(state.device(), state.state(), state.behindBy(),
                state.lastSync() == null ? null : state.lastSync().toEpochMilli(), state.error()));
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        timer.shutdownNow();
    }

    private static final class PeerRuns {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicBoolean waiting = new AtomicBoolean();
        /** Failed runs in a row, for the retry's backoff. */
        final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    }

    /** Turns exchange outcomes into sync state, events and log lines. */
    private final class StateListener implements SyncListener {

        @Override
        public void started(PeerId peer, boolean initiator) {
            setState(states.getOrDefault(peer, DeviceSyncState.never(peer)).syncing());
        }

        @Override
        public void exchanged(ExchangeResult result) {
            lastExchanges.put(result.peer(), result);
            long behind = result.peerVector().aheadOf(journal.store().versionVector());
            Instant now = clock.instant();
            setState(new DeviceSyncState(result.peer(), behind == 0 ? DeviceSyncState.IN_SYNC : DeviceSyncState.BEHIND,
                    behind, now, null));
            if (result.entriesStored() > 0 || result.entriesSent() > 0) {
                log.info("journal sync with {}: received {} entries ({} new), sent {}", result.peer(),
                        result.entriesReceived(), result.entriesStored(), result.entriesSent());
            }
            exchangeEnded();
        }

        @Override
        public void refused(PeerId peer, InvalidEntryException e) {
            log.warn("journal sync with {} stopped: refused an invalid entry ({}): {}", peer, e.reason(),
                    e.getMessage());
            DeviceSyncState old = states.getOrDefault(peer, DeviceSyncState.never(peer));
            setState(new DeviceSyncState(peer, DeviceSyncState.FAILED, old.behindBy(), old.lastSync(),
                    "refused an invalid entry: " + e.getMessage()));
            exchangeEnded();
        }

        @Override
        public void failed(PeerId peer, Exception e) {
            log.info("journal sync with {} failed: {}", peer, e.getMessage());
            if (!isSibling(peer)) {
                // A peer that is no device of this user tried to sync: refused, and no device state to show.
                return;
            }
            DeviceSyncState old = states.getOrDefault(peer, DeviceSyncState.never(peer));
            setState(new DeviceSyncState(peer, DeviceSyncState.FAILED, old.behindBy(), old.lastSync(),
                    e.getMessage() == null ? "the connection was lost" : e.getMessage()));
            exchangeEnded();
        }
    }
}
