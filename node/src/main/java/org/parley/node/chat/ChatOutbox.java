package org.parley.node.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.protocol.PrekeyInitiator;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.IdentityKeyChangedException;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.host.HostEvent;
import org.parley.libp2p.host.Subscription;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox's worker. A dispatcher starts a delivery lane for each contact with something
 * due; the lane sends that contact's queued envelopes in order as they come (finding the contact's
 * device, starting a session from its prekey bundle if there is none), with up to
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

    /** How long a contact with a key warning is held before the entry is looked at again. */
    static final Duration HELD_RECHECK = Duration.ofMinutes(10);

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
    private final ContactDevices devices;
    private final DeviceFanout fanout;
    private final CoMembers coMembers;
    private final Map<PeerId, ChatSender> senders = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Subscription subscription;
    /** The dispatcher's wake-up flag, guarded by {@code lock}. */
    private boolean woken;
    /** Each contact's live lane, guarded by {@code lock}. */
    private final Map<LaneKey, Lane> lanes = new java.util.HashMap<>();
    private volatile boolean closed;
    private final Thread worker;

    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices) {
        this(runtime, host, devices, null);
    }

    /** @param fanout sends to every listed device of a contact; null for one device per contact */
    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices, DeviceFanout fanout) {
        this(runtime, host, devices, fanout, null);
    }

    /** @param coMembers routes group envelopes to members who are not accepted contacts; null for none */
    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices, DeviceFanout fanout, CoMembers coMembers) {
        this.coMembers = coMembers;
        this.fanout = fanout;
        this.runtime = runtime;
        this.host = host;
        this.devices = devices;
        this.subscription = host.subscribe(event -> {
            if (event instanceof HostEvent.PeerIdentified identified) {
                onPeerIdentified(identified.peer());
            }
        });
        this.worker = Thread.ofVirtual().name("chat-outbox").unstarted(this::run);
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
                log.warn("the chat outbox failed a round and tries again: {}", e.toString());
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
        private Thread thread;

        Lane(LaneKey key) {
            this.key = key;
        }

        /** Call with {@code lock} held. */
        void wake() {
            woken = true;
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
            Batch batch = null;
            Optional<String> retry = Optional.empty();
            try {
                while (!closed && retry.isEmpty()) {
                    if (batch != null) {
                        batch.settleDone();
                        retry = batch.failure();
                        if (retry.isPresent()) {
                            break;
                        }
                    }
                    boolean room = batch == null || batch.unitsInFlight() < UNITS_IN_FLIGHT;
                    List<OutboxEntry> fresh = !room ? List.of() : runtime.messages.queuedAfter(key.identityRow(),
                            key.contact(), batch == null ? 0 : batch.lastOpen(), BATCH);
                    if (!fresh.isEmpty()) {
                        if (batch == null) {
                            batch = new Batch(fresh.getFirst(), this::nudge);
                        }
                        retry = batch.submitAll(fresh);
                        continue;
                    }
                    if (!awaitMore(batch, room)) {
                        break;
                    }
                }
                if (batch != null) {
                    Optional<String> failed = batch.settleAll();
                    retry = retry.or(() -> failed);
                }
            } catch (StorageException | RuntimeException e) {
                retry = Optional.of(e.toString());
            }
            try {
                // Once closed, what is left stays due: the next start sends it.
                if (retry.isPresent() && batch != null && !closed) {
                    reschedule(batch.unsettled(), retry.get());
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
        private boolean awaitMore(Batch batch, boolean room) {
            boolean idle = batch == null || batch.nothingInFlight();
            long nanos = (idle ? LANE_IDLE : MAX_RETRY).toNanos();
            lock.lock();
            try {
                // With no room for another unit, a wake waits for the first answer: what is queued
                // meanwhile then goes out together.
                while ((!woken || !room) && !closed && nanos > 0 && (idle || !batch.firstAnswered())) {
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

    /** Counts an attempt for each entry and sets when to try them again. */
    private void reschedule(List<OutboxEntry> rest, String why) {
        if (rest.isEmpty()) {
            return;
        }
        long at = runtime.clock.millis() + backoff(rest.getFirst().attempts()).toMillis();
        for (OutboxEntry e : rest) {
            try {
                runtime.messages.retryAt(e.rowId(), at, why);
            } catch (StorageException ex) {
                log.warn("cannot reschedule a chat envelope: {}", ex.getMessage());
            }
        }
    }

    /**
     * A unit written and waiting for its ack; {@code fannedBy} is the identity's chat when it went
     * through the device fan-out (whose texts then go to this user's other devices), else null.
     */
    private record InFlight(List<OutboxEntry> unit, ChatEnvelope envelope, CompletableFuture<ChatAck> ack,
            IdentityChat fannedBy) {}

    /**
     * What a lane has under way: the identity looked up once, the contact as of the last read, the
     * stream chosen at the first unit, the units in flight, and the entries read and not yet done
     * with (acked or dropped).
     */
    private final class Batch {
        private final OutboxEntry first;
        private final Runnable onAnswer;
        private final LocalIdentity identity;
        private Optional<Contact> contact;
        private Target target;
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        /**
         * The stream each device's frames take in this round, kept for the whole round: a later
         * frame never goes out on a new stream while an earlier one may still fail on the old one,
         * so what a device acks in a round is always a prefix of what it was sent, as on the
         * single-device path.
         */
        private final Map<PeerId, ChatSender> pinned = new java.util.HashMap<>();
        /** The entries read and neither acked nor dropped, by row id, in order. */
        private final Map<Long, OutboxEntry> open = new LinkedHashMap<>();
        private long lastRead;
        private String failure;

        /** @param onAnswer called (on the stream's thread) when an ack in flight comes */
        Batch(OutboxEntry first, Runnable onAnswer) {
            this.first = first;
            this.onAnswer = onAnswer;
            this.identity = runtime.identities.all().stream().filter(i -> i.rowId() == first.identityRow())
                    .findFirst().orElse(null);
            this.contact = runtime.contact(first.identityRow(), first.contact());
        }

        /**
         * Writes freshly read entries in order, coalesced, recording the acks that came meanwhile;
         * empty if all went (or were dropped), else why the rest must wait.
         */
        Optional<String> submitAll(List<OutboxEntry> fresh) {
            fresh.forEach(e -> open.put(e.rowId(), e));
            lastRead = fresh.getLast().rowId();
            // The contact as it is now: a lane lives across many reads, and the contact may have
            // been blocked, warned about or moved to another device meanwhile.
            contact = runtime.contact(first.identityRow(), first.contact());
            for (List<OutboxEntry> unit : coalesce(fresh)) {
                Optional<String> retry = submit(unit);
                if (retry.isPresent()) {
                    return retry;
                }
                settleDone();
            }
            return failure();
        }

        /** Why an ack failed, if one did: the lane then stops writing. */
        Optional<String> failure() {
            return Optional.ofNullable(failure);
        }

        boolean nothingInFlight() {
            return inFlight.isEmpty();
        }

        int unitsInFlight() {
            return inFlight.size();
        }

        /** Whether the oldest unit in flight has its answer (so it can be recorded). */
        boolean firstAnswered() {
            InFlight head = inFlight.peekFirst();
            return head == null || head.ack().isDone();
        }

        private void track(InFlight f) {
            inFlight.add(f);
            f.ack().whenComplete((answer, failed) -> onAnswer.run());
        }

        /** Writes one unit; empty if it went (or was dropped), else why the rest must wait. */
        Optional<String> submit(List<OutboxEntry> unit) {
            ChatContent content = unit.getFirst().envelope().content();
            Optional<Contact> route = contact.filter(c -> mayCarry(c, content));
            if (identity != null && route.isEmpty()) {
                // The contact may have moved on since the batch began (a response accepted it).
                contact = runtime.contact(first.identityRow(), first.contact());
                route = contact.filter(c -> mayCarry(c, content));
                if (route.isEmpty() && coMembers != null) {
                    // A group envelope to a co-member who is not an accepted contact.
                    route = coMembers.route(identity, first.contact(), content);
                }
            }
            if (identity == null || route.isEmpty()) {
                for (OutboxEntry e : unit) {
                    dropWithFailure(e, "the contact was removed or blocked, or has not accepted");
                    open.remove(e.rowId());
                }
                return Optional.empty();
            }
            Contact c = route.get();
            if (c.keyWarning()) {
                return Optional.of("held: a different identity key was presented for this contact; check the safety"
                        + " number, then run verify");
            }
            IdentityChat chat = runtime.chat(identity);
            ChatEnvelope envelope = envelopeOf(unit);
            try {
                if (fanout != null) {
                    // A contact with a signed device list gets every device, pipelined like the
                    // single-device path; this user's other devices get a sent copy once it is acked.
                    Optional<CompletableFuture<DeviceFanout.Outcome>> fanned = fanout.submit(chat, c,
                            envelope, () -> candidates(c), this::submitPinned);
                    if (fanned.isPresent()) {
                        CompletableFuture<DeviceFanout.Outcome> outcome = fanned.get();
                        if (outcome.isDone() && !outcome.join().delivered()) {
                            return Optional.of(outcome.join().error());
                        }
                        track(new InFlight(unit, envelope, outcome.thenApply(Batch::ackOf), chat));
                        return Optional.empty();
                    }
                }
                if (target == null) {
                    Optional<String> why = connect(chat, c);
                    if (why.isPresent()) {
                        return why;
                    }
                }
                ChatFrame frame = chat.sessions().encrypt(target.address(), envelope);
                track(new InFlight(unit, envelope, target.sender().submit(frame), null));
                return Optional.empty();
            } catch (IdentityKeyChangedException e) {
                return Optional.of(keyChanged(c, e));
            } catch (ChatCryptoException | IOException e) {
                forget(target);
                return Optional.of(e.getMessage());
            }
        }

        /** Finds a device of {@code c} that takes a stream, with a session to it. */
        private Optional<String> connect(IdentityChat chat, Contact c) throws IdentityKeyChangedException {
            String lastError = "no device of the contact is reachable";
            for (PeerId peer : candidates(c)) {
                try {
                    ChatAddress address = sessionWith(chat, c, peer);
                    target = new Target(peer, address, sender(peer));
                    return Optional.empty();
                } catch (IdentityKeyChangedException e) {
                    throw e;
                } catch (ChatCryptoException | IOException e) {
                    lastError = e.getMessage();
                }
            }
            return Optional.of(lastError);
        }

        /** Writes to {@code peer} on the stream this round took for it first. */
        private CompletableFuture<ChatAck> submitPinned(PeerId peer, ChatFrame frame) throws IOException {
            ChatSender sender = pinned.get(peer);
            if (sender == null) {
                sender = sender(peer);
                pinned.put(peer, sender);
            }
            return submitOn(peer, sender, frame);
        }

        /** A fan-out's outcome as the ack the rest of the batch reads: taken, or failed with the last error. */
        private static ChatAck ackOf(DeviceFanout.Outcome outcome) {
            if (!outcome.delivered()) {
                throw new java.util.concurrent.CompletionException(new IOException(outcome.error()));
            }
            return ChatAck.ok();
        }

        private String keyChanged(Contact c, IdentityKeyChangedException e) {
            if (runtime.contact(c.identityRow(), c.userId()).isEmpty()) {
                // A co-member's stand-in: no contact row to mark; its envelopes are held all the same.
                return "held: " + e.getMessage();
            }
            runtime.put(c.withVerified(false, true, runtime.clock.instant()));
            runtime.publish(new NodeEvent.ContactKeyChanged(identity.userId().text(), c.userId().text()));
            return "held: " + e.getMessage();
        }

        /** Records every unit whose ack has come, without waiting. */
        void settleDone() {
            List<InFlight> done = new ArrayList<>();
            while (!inFlight.isEmpty() && inFlight.peekFirst().ack().isDone()) {
                done.add(inFlight.pollFirst());
            }
            record(done);
        }

        /** Waits for every ack in flight; why some failed, if any did. */
        Optional<String> settleAll() {
            List<InFlight> done = new ArrayList<>();
            while (!inFlight.isEmpty()) {
                InFlight next = inFlight.pollFirst();
                try {
                    next.ack().join();
                } catch (RuntimeException e) {
                    // The failure is read from the future in record().
                }
                done.add(next);
                if (inFlight.isEmpty() || !inFlight.peekFirst().ack().isDone()) {
                    record(done);
                    done = new ArrayList<>();
                }
            }
            record(done);
            return Optional.ofNullable(failure);
        }

        /** Removes the acked units from the outbox in one transaction and tells of the texts now sent. */
        private void record(List<InFlight> done) {
            if (done.isEmpty()) {
                return;
            }
            List<Long> rows = new ArrayList<>();
            List<MessageId> texts = new ArrayList<>();
            for (InFlight f : done) {
                ChatAck ack;
                try {
                    ack = ChatSender.await(f.ack());
                } catch (IOException e) {
                    failure = failure == null ? e.getMessage() : failure;
                    if (f.fannedBy() == null) {
                        forget(target);
                    }
                    continue;
                }
                if (!ack.received()) {
                    failure = failure == null ? "the contact's device refused it: " + ack.reason() : failure;
                    continue;
                }
                for (OutboxEntry e : f.unit()) {
                    rows.add(e.rowId());
                    ChatEnvelope envelope = e.envelope();
                    if (MessageBody.isMessage(envelope.content())) {
                        texts.add(envelope.id());
                    }
                }
                ChatContent sent = f.envelope().content();
                if (f.fannedBy() != null && (sent instanceof ChatContent.Text || sent instanceof ChatContent.Batch)) {
                    // A batch's texts go to this user's other devices as that one batch: one frame each.
                    fanout.sentCopies(f.fannedBy(), f.envelope(), ChatOutbox.this::submitTo);
                }
            }
            if (rows.isEmpty()) {
                return;
            }
            List<MessageId> moved;
            try {
                moved = runtime.messages.markSent(first.identityRow(), first.contact(), rows, texts);
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            }
            rows.forEach(open::remove);
            for (MessageId id : moved) {
                runtime.publish(new NodeEvent.ChatState(identity.userId().text(), first.contact().text(),
                        id.toString(), MessageState.SENT.wireName(), ""));
            }
        }

        /**
         * The row id after which the contact's queue holds only what this lane has not read: its
         * last open entry, or 0 when none is open. Entries settle in order, and SQLite gives a new
         * row an id above every row in the table (it may reuse a deleted one's), so a row queued
         * later is always above the last open one, and with none open everything queued is new.
         */
        long lastOpen() {
            // Entries settle oldest first, so while any is open the last one read is.
            return open.isEmpty() ? 0 : lastRead;
        }

        /** The entries read and neither acked nor dropped, in order. */
        List<OutboxEntry> unsettled() {
            return List.copyOf(open.values());
        }
    }

    /** Where a batch's frames go: the device's peer, its session address, the stream to it. */
    private record Target(PeerId peer, ChatAddress address, ChatSender sender) {}

    private void forget(Target target) {
        if (target != null) {
            forget(target.peer(), target.sender());
        }
    }

    /** Drops {@code sender} from the pool (if it is still the one for {@code peer}) and closes it. */
    private void forget(PeerId peer, ChatSender sender) {
        if (senders.remove(peer, sender)) {
            sender.close();
        }
    }

    /**
     * Groups the entries into what goes out as one envelope: consecutive receipts of one kind
     * travel together (up to {@link ChatContent#MAX_RECEIPT_IDS} ids), consecutive texts too (a
     * {@link ChatContent.Batch} of up to {@link ChatContent#MAX_BATCH_TEXTS}, within
     * {@link ChatContent#MAX_BATCH_TEXT_BYTES}), everything else alone. A burst of messages then
     * costs one ratchet step, frame and ack per batch, and one receipt frame back.
     */
    static List<List<OutboxEntry>> coalesce(List<OutboxEntry> entries) {
        List<List<OutboxEntry>> units = new ArrayList<>();
        List<OutboxEntry> current = null;
        // What the current unit holds so far: receipt ids, or texts and their UTF-8 bytes.
        int count = 0;
        long bytes = 0;
        for (OutboxEntry e : entries) {
            ChatContent content = e.envelope().content();
            ChatContent first = current == null ? null : current.getFirst().envelope().content();
            int length = content instanceof ChatContent.Text t ? t.utf8Length() : 0;
            if (content instanceof ChatContent.Receipt r) {
                if (first instanceof ChatContent.Receipt f && f.kind() == r.kind()
                        && count + r.messageIds().size() <= ChatContent.MAX_RECEIPT_IDS) {
                    current.add(e);
                    count += r.messageIds().size();
                    continue;
                }
                current = new ArrayList<>(List.of(e));
                units.add(current);
                count = r.messageIds().size();
            } else if (content instanceof ChatContent.Text && length <= ChatContent.MAX_BATCH_TEXT_BYTES) {
                if (first instanceof ChatContent.Text && count < ChatContent.MAX_BATCH_TEXTS
                        && bytes + length <= ChatContent.MAX_BATCH_TEXT_BYTES
                        && e.envelope().conversation().equals(current.getFirst().envelope().conversation())) {
                    current.add(e);
                    count++;
                    bytes += length;
                    continue;
                }
                current = new ArrayList<>(List.of(e));
                units.add(current);
                count = 1;
                bytes = length;
            } else {
                current = null;
                units.add(List.of(e));
            }
        }
        return units;
    }

    /**
     * The envelope a unit goes out as: the entry itself; its receipts merged into the first one's
     * envelope; or its texts as a batch under the first one's id and time.
     */
    static ChatEnvelope envelopeOf(List<OutboxEntry> unit) {
        ChatEnvelope first = unit.getFirst().envelope();
        if (unit.size() == 1) {
            return first;
        }
        if (first.content() instanceof ChatContent.Text) {
            return new ChatEnvelope(first.id(), first.timestamp(), first.conversation(),
                    new ChatContent.Batch(unit.stream().map(OutboxEntry::envelope).toList()));
        }
        List<MessageId> ids = new ArrayList<>();
        for (OutboxEntry e : unit) {
            ids.addAll(((ChatContent.Receipt) e.envelope().content()).messageIds());
        }
        ChatContent.ReceiptKind kind = ((ChatContent.Receipt) first.content()).kind();
        return new ChatEnvelope(first.id(), first.timestamp(), first.conversation(), new ChatContent.Receipt(kind, ids));
    }

    static Duration backoff(int attempts) {
        long millis = FIRST_RETRY.toMillis() << Math.min(attempts, 16);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    private List<PeerId> candidates(Contact contact) {
        List<PeerId> out = devices.candidates(contact);
        out.remove(host.peerId());
        return out;
    }

    /** The session address with {@code contact}'s device at {@code peer}, starting one from its bundle if needed. */
    private ChatAddress sessionWith(IdentityChat chat, Contact contact, PeerId peer)
            throws IOException, ChatCryptoException {
        if (contact.peerId().equals(Optional.of(peer.toBase58())) && contact.device().isPresent()) {
            ChatAddress known = new ChatAddress(contact.userId(), contact.device().getAsInt());
            if (chat.sessions().hasSession(known)) {
                return known;
            }
        }
        PrekeyAnswer answer = PrekeyInitiator.fetch(host, peer, contact.userId());
        if (!(answer instanceof PrekeyAnswer.Bundle(var bundle))) {
            throw new IOException("peer " + peer + " holds no identity " + contact.userId());
        }
        ChatAddress address = chat.sessions().startSession(contact.userId(), bundle);
        Optional<Contact> latest = runtime.contact(contact.identityRow(), contact.userId());
        if (latest.isPresent()) {
            runtime.put(latest.get().withDevice(peer.toBase58(), address.device(), runtime.clock.instant()));
        } else if (coMembers != null) {
            // A co-member's stand-in is never stored as a contact.
            coMembers.reached(contact.identityRow(), contact.userId(), peer.toBase58(), address.device());
        }
        return address;
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
            ChatFrame frame = chat.sessions().encrypt(address, new ChatEnvelope(MessageId.random(), runtime.hlc.now(),
                    contact.conversation(), new ChatContent.Cover()));
            sender = sender(peer);
            sender.submit(frame);
            return true;
        } catch (ChatCryptoException | IOException e) {
            log.debug("a cover envelope to {} did not go: {}", peer, e.getMessage());
            if (sender != null) {
                forget(peer, sender);
            }
            return false;
        }
    }

    /**
     * Writes one frame to {@code peer} on its pooled stream; the ack comes in the future. A stream
     * that broke is dropped from the pool, so the next frame opens one afresh.
     */
    private CompletableFuture<ChatAck> submitTo(PeerId peer, ChatFrame frame) throws IOException {
        return submitOn(peer, sender(peer), frame);
    }

    /** Writes one frame on {@code sender}, the stream to {@code peer}; one that broke leaves the pool. */
    private CompletableFuture<ChatAck> submitOn(PeerId peer, ChatSender sender, ChatFrame frame) throws IOException {
        CompletableFuture<ChatAck> ack;
        try {
            ack = sender.submit(frame);
        } catch (IOException e) {
            forget(peer, sender);
            throw e;
        }
        ack.whenComplete((answer, failed) -> {
            if (failed != null) {
                // Not on the thread completing the ack: that is the stream's own reader, still failing it.
                Thread.ofVirtual().name("chat-outbox-forget").start(() -> forget(peer, sender));
            }
        });
        return ack;
    }

    /** The open stream to {@code peer}, opening one if there is none. */
    private ChatSender sender(PeerId peer) throws IOException {
        ChatSender sender = senders.get(peer);
        if (sender == null) {
            sender = ChatSender.open(host, peer);
            ChatSender raced = senders.putIfAbsent(peer, sender);
            if (raced != null) {
                sender.close();
                sender = raced;
            }
        }
        return sender;
    }

    private static boolean mayCarry(Contact contact, ChatContent content) {
        return switch (content) {
            case ChatContent.ContactRequest r -> contact.state() == ContactState.REQUESTED;
            case ChatContent.ContactResponse r -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Text t -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.FileOffer f -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Receipt r -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.GroupOps g -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.GroupMessage g -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Cover c -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Batch b -> contact.state() == ContactState.ACCEPTED;
        };
    }

    private void dropWithFailure(OutboxEntry entry, String reason) {
        try {
            runtime.messages.remove(entry.rowId());
            if (MessageBody.isMessage(entry.envelope().content())) {
                if (runtime.messages.moveState(entry.identityRow(), entry.contact(), entry.envelope().id(),
                        MessageState.FAILED, Optional.of(reason))) {
                    runtime.identities.all().stream().filter(i -> i.rowId() == entry.identityRow()).findFirst()
                            .ifPresent(i -> runtime.publish(new NodeEvent.ChatState(i.userId().text(),
                                    entry.contact().text(), entry.envelope().id().toString(),
                                    MessageState.FAILED.wireName(), reason)));
                }
            }
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
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
            senders.values().forEach(ChatSender::close);
            for (Thread t : laneThreads) {
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.values().forEach(ChatSender::close);
        senders.clear();
    }
}
