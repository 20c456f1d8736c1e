package org.parley.node.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.MessageId;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox's worker. A dispatcher starts a delivery lane for each contact with something
 * due; the lane sends that contact's queued envelopes in order as they come (a
 * {@link ContactDelivery} does the writing, on the pooled {@link ChatStreams}), with up to
 * {@link #UNITS_IN_FLIGHT} envelopes in flight, so what is queued meanwhile goes out as one batch.
 * An entry is dropped only once the device acknowledged it (acked entries several per
 * transaction). Lanes never wait for each other: a contact whose device does not answer delays no
 * other contact. An entry that could not go is tried again with exponential backoff, and at once
 * when the contact's device connects. A contact with a key warning is held. Thread safe.
 */
final class ChatOutbox implements AutoCloseable, OutboxWake {

    private static final Logger log = LoggerFactory.getLogger(ChatOutbox.class);

    /** The first retry delay: a device restarting comes back within seconds. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    /** The longest retry delay: an offline contact costs one lookup a minute, and a wake-up is sooner. */
    static final Duration MAX_RETRY = Duration.ofSeconds(60);

    /** Entries a lane reads from the database at once: a large backlog drains in reads of this size. */
    static final int BATCH = 256;

    /**
     * Units (envelopes, a batch of texts being one) a lane keeps in flight before it waits for an
     * ack: what is queued while they travel then goes out as one batch. Two keep the link busy
     * (one travels while the other is answered) without sending each message of a steady stream
     * alone, which would cost a ratchet step, a frame and a receiver's commit per message.
     */
    static final int UNITS_IN_FLIGHT = 2;

    /**
     * How long a contact's lane waits for more with nothing in flight before it ends: long enough
     * that a conversation keeps its lane (and its streams) between messages, short enough that an
     * idle contact holds nothing.
     */
    static final Duration LANE_IDLE = Duration.ofSeconds(5);

    private final ChatRuntime runtime;
    private final Host host;
    private final ChatStreams streams;
    /** What each contact's delivery uses. */
    private final ContactDelivery.Parts parts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Subscription subscription;
    /** The dispatcher's wake-up flag, guarded by {@code lock}. */
    private boolean woken;
    /** Each contact's live lane, guarded by {@code lock}. */
    private final Map<LaneKey, Lane> lanes = new java.util.HashMap<>();
    private volatile boolean closed;
    private final Thread worker;
    /**
     * Where the replies on acks go (the inbox, set before {@link #start}); until then, the acks are
     * recorded and their replies dropped with a warning (the texts stay sent, not delivered).
     */
    private volatile ReplySink replySink;

    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices) {
        this(runtime, host, devices, null);
    }

    /** @param fanout sends to every listed device of a contact; null for one device per contact */
    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices, DeviceFanout fanout) {
        this(runtime, host, devices, fanout, null);
    }

    /** @param coMembers routes group envelopes to members who are not accepted contacts; null for none */
    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices, DeviceFanout fanout, CoMembers coMembers) {
        this.runtime = runtime;
        this.host = host;
        this.replySink = (replies, first) -> {
            log.warn("{} replies on chat acks dropped: the outbox has no inbox to take them", replies.size());
            runtime.transaction(first);
        };
        this.streams = new ChatStreams(host);
        this.parts = new ContactDelivery.Parts(runtime, host, devices, fanout, coMembers, streams,
                (replies, first) -> replySink.acceptReplies(replies, first));
        this.subscription = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified identified) {
                onPeerIdentified(identified.peer());
            }
        });
        this.worker = Thread.ofVirtual().name("chat-outbox").unstarted(this::run);
    }

    /** Hands the replies that acks carry (delivered receipts, on {@code /parley/chat/1.1.0}) to {@code sink}. */
    void takeRepliesWith(ReplySink sink) {
        this.replySink = Objects.requireNonNull(sink, "sink");
    }

    void start() {
        worker.start();
    }

    /** Makes the dispatcher and every lane look at the outbox now (anything may have changed). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
            lanes.values().forEach(Lane::wake);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Something was queued for {@code contact} of local identity {@code identityRow}: its lane
     * reads it, or the dispatcher starts one. Other contacts' lanes are not disturbed.
     */
    @Override
    public void queued(long identityRow, UserId contact) {
        lock.lock();
        try {
            Lane lane = lanes.get(new LaneKey(identityRow, contact));
            if (lane != null) {
                lane.wake();
            } else {
                woken = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onPeerIdentified(PeerId peer) {
        if (closed) {
            return;
        }
        Thread.ofVirtual().name("chat-outbox-wake").start(() -> {
            try {
                int woke = 0;
                for (LocalIdentity identity : runtime.identities.active()) {
                    for (Contact c : runtime.contacts(identity.rowId())) {
                        if (c.peerId().equals(Optional.of(peer.toBase58()))) {
                            woke += runtime.messages.wake(identity.rowId(), c.userId());
                        }
                    }
                }
                if (woke > 0) {
                    wake();
                }
            } catch (StorageException | RuntimeException e) {
                log.debug("waking the outbox for {} failed: {}", peer, e.toString());
            }
        });
    }

    /**
     * The dispatcher: starts a delivery lane for each contact with something due and no lane yet,
     * then sleeps until a wake or the earliest due time among contacts without a lane. A contact's
     * lane reads and sends on its own, so a busy contact never waits for this loop, nor for
     * another contact's acks.
     */
    private void run() {
        while (!closed) {
            try {
                long now = runtime.clock.millis();
                long nextAt = now + MAX_RETRY.toMillis();
                for (MessageStore.QueuedContact queued : runtime.messages.queuedContacts()) {
                    LaneKey key = new LaneKey(queued.identity(), queued.contact());
                    if (queued.dueAt() <= now) {
                        startLane(key);
                    } else if (!hasLane(key)) {
                        nextAt = Math.min(nextAt, queued.dueAt());
                    }
                }
                awaitDispatch(nextAt - now);
            } catch (InterruptedException e) {
                return;
            } catch (StorageException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("the chat outbox could not look for due envelopes and tries again: {}", e.toString());
                try {
                    Thread.sleep(FIRST_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void awaitDispatch(long waitMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = Duration.ofMillis(Math.max(1, waitMillis)).toNanos();
            while (!woken && !closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Whose envelopes a lane carries: one contact of one local identity. */
    private record LaneKey(long identityRow, UserId contact) {}

    /**
     * One contact's delivery lane, on a virtual thread of its own: it sends the contact's queued
     * envelopes in order as they come, keeping up to {@link #UNITS_IN_FLIGHT} units in flight,
     * and records each ack as it comes. It ends when nothing was queued for {@link #LANE_IDLE},
     * or when something failed (what it had read and not settled is then tried again after a backoff).
     * Its wake-up flag is guarded by the outbox's {@code lock}.
     */
    private final class Lane {
        private final LaneKey key;
        private final Condition changed = lock.newCondition();
        private boolean woken;
        /**
         * Wakes so far (written under {@code lock}): the lane reads the outbox again only after one,
         * or after a read that came back full. An ack's nudge is no reason to read, and a steady
         * stream of single messages would otherwise cost two empty reads under the database's
         * lock per envelope.
         */
        private volatile long wakes;
        private Thread thread;

        Lane(LaneKey key) {
            this.key = key;
        }

        /** Call with {@code lock} held. */
        void wake() {
            woken = true;
            wakes++;
            changed.signal();
        }

        /** Wakes the lane from any thread (an ack came). */
        void nudge() {
            lock.lock();
            try {
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            ContactDelivery delivery = null;
            Optional<String> retry = Optional.empty();
            // The wakes already taken in by a read; none yet, so the first pass reads.
            long readAfter = -1;
            boolean fullRead = false;
            try {
                while (!closed && retry.isEmpty()) {
                    if (delivery != null) {
                        delivery.settleDone();
                        retry = delivery.failure();
                        if (retry.isPresent()) {
                            break;
                        }
                    }
                    boolean room = delivery == null || delivery.unitsInFlight() < UNITS_IN_FLIGHT;
                    List<OutboxEntry> fresh = List.of();
                    // Taken before the read: a wake during it leaves the count moved, so it reads again.
                    long wakesNow = wakes;
                    if (room && (wakesNow != readAfter || fullRead)) {
                        readAfter = wakesNow;
                        fresh = runtime.messages.queuedAfter(key.identityRow(), key.contact(),
                                delivery == null ? 0 : delivery.lastOpen(), BATCH);
                        fullRead = fresh.size() == BATCH;
                    }
                    if (!fresh.isEmpty()) {
                        if (delivery == null) {
                            delivery = new ContactDelivery(parts, fresh.getFirst(), this::nudge);
                        }
                        retry = delivery.submitAll(fresh);
                        continue;
                    }
                    if (!awaitMore(delivery, room)) {
                        break;
                    }
                }
                if (delivery != null) {
                    Optional<String> failed = delivery.settleAll();
                    retry = retry.or(() -> failed);
                }
            } catch (StorageException | RuntimeException e) {
                retry = Optional.of(e.toString());
            }
            try {
                // Once closed, what is left stays due: the next start sends it.
                if (retry.isPresent() && delivery != null && !closed) {
                    reschedule(delivery.unsettled(), retry.get());
                }
            } finally {
                // After the reschedule, so the dispatcher never sees those rows due and resends them at once.
                endLane(this);
            }
        }

        /**
         * Waits for a wake (something queued) or, with frames in flight, for the first of them to
         * be answered. False when the lane should end: idle for {@link #LANE_IDLE} with nothing in
         * flight (it then leaves the lanes at once, so a wake after this starts a new lane), or closed.
         */
        private boolean awaitMore(ContactDelivery delivery, boolean room) {
            boolean idle = delivery == null || delivery.nothingInFlight();
            long nanos = (idle ? LANE_IDLE : MAX_RETRY).toNanos();
            lock.lock();
            try {
                // With no room for another unit, a wake waits for the first answer: what is queued
                // meanwhile then goes out together.
                while ((!woken || !room) && !closed && nanos > 0 && (idle || !delivery.firstAnswered())) {
                    try {
                        nanos = changed.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        return false;
                    }
                }
                if (woken) {
                    woken = false;
                    return true;
                }
                if (closed) {
                    return false;
                }
                if (idle) {
                    lanes.remove(key, this);
                    return false;
                }
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Starts {@code key}'s lane unless it has one. */
    private void startLane(LaneKey key) {
        lock.lock();
        try {
            if (closed || lanes.containsKey(key)) {
                return;
            }
            Lane lane = new Lane(key);
            lanes.put(key, lane);
            lane.thread = Thread.ofVirtual().name("chat-lane").start(lane::run);
        } finally {
            lock.unlock();
        }
    }

    private boolean hasLane(LaneKey key) {
        lock.lock();
        try {
            return lanes.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    /** A lane has ended: it leaves the lanes, and the dispatcher looks again (its backoff may be due later). */
    private void endLane(Lane lane) {
        lock.lock();
        try {
            lanes.remove(lane.key, lane);
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Counts an attempt for each entry that was due and sets when to try them again. */
    private void reschedule(List<OutboxEntry> rest, String why) {
        if (rest.isEmpty()) {
            return;
        }
        long now = runtime.clock.millis();
        long at = now + backoff(rest.getFirst().attempts()).toMillis();
        try {
            runtime.messages.retryAt(rest.stream().map(OutboxEntry::rowId).toList(), now, at, why);
        } catch (StorageException e) {
            log.warn("cannot reschedule {} chat envelopes: {}", rest.size(), e.getMessage());
        }
    }

    static Duration backoff(int attempts) {
        long millis = FIRST_RETRY.toMillis() << Math.min(attempts, 16);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    /**
     * Sends one cover envelope to {@code contact}'s device if it is connected and a session with it
     * exists; nothing is stored and the ack is not awaited (a lost dummy costs nothing).
     *
     * @return whether it went
     */
    boolean sendCover(LocalIdentity identity, Contact contact) {
        if (closed || contact.state() != ContactState.ACCEPTED || contact.keyWarning() || contact.peerId().isEmpty()
                || contact.device().isEmpty()) {
            return false;
        }
        PeerId peer = PeerId.parse(contact.peerId().get());
        if (host.connections(peer).isEmpty()) {
            return false;
        }
        IdentityChat chat = runtime.chat(identity);
        ChatAddress address = new ChatAddress(contact.userId(), contact.device().getAsInt());
        if (!chat.sessions().hasSession(address)) {
            return false;
        }
        ChatSender sender = null;
        try {
            ChatFrame frame = chat.sessions().encrypt(address, new ChatEnvelope(MessageId.next(), runtime.hlc.now(),
                    contact.conversation(), new ChatContent.Cover()));
            sender = streams.sender(peer);
            sender.submit(frame);
            return true;
        } catch (ChatCryptoException | IOException e) {
            log.debug("a cover envelope to {} did not go: {}", peer, e.getMessage());
            if (sender != null) {
                streams.forget(peer, sender);
            }
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        wake();
        worker.interrupt();
        List<Thread> laneThreads;
        lock.lock();
        try {
            laneThreads = lanes.values().stream().map(l -> l.thread).toList();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(Duration.ofSeconds(5));
            // Closing the streams fails the acks still awaited, so every lane ends.
            streams.closeAll();
            for (Thread t : laneThreads) {
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.closeAll();
    }
}
