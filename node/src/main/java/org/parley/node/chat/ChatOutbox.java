package org.parley.node.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
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
 * The durable outbox's worker: takes due envelopes from the database, oldest first and per
 * contact in order, finds the contact's device, starts a session from its prekey bundle if there
 * is none, encrypts and sends with up to {@link ChatSender#WINDOW} frames in flight on one stream,
 * and drops an entry only once the device acknowledged it (acked entries several per transaction). An
 * entry that could not go is tried again with exponential backoff, and at once when the
 * contact's device connects. A contact with a key warning is held. Thread safe.
 */
final class ChatOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatOutbox.class);

    /** The first retry delay: a device restarting comes back within seconds. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    /** The longest retry delay: an offline contact costs one lookup a minute, and a wake-up is sooner. */
    static final Duration MAX_RETRY = Duration.ofSeconds(60);

    /** How long a contact with a key warning is held before the entry is looked at again. */
    static final Duration HELD_RECHECK = Duration.ofMinutes(10);

    /** Entries read from the database per round: a large backlog drains in rounds of this size. */
    static final int BATCH = 256;

    private final ChatRuntime runtime;
    private final Host host;
    private final ContactDevices devices;
    private final DeviceFanout fanout;
    private final CoMembers coMembers;
    private final Map<PeerId, ChatSender> senders = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Subscription subscription;
    private boolean woken;
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

    /** Makes the worker look at the outbox now. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
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

    private void run() {
        while (!closed) {
            try {
                List<OutboxEntry> due = runtime.messages.due(runtime.clock.millis(), BATCH);
                if (due.isEmpty()) {
                    awaitWork();
                    continue;
                }
                deliverAll(due);
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

    private void awaitWork() throws StorageException, InterruptedException {
        Optional<Long> next = runtime.messages.nextDueAt();
        long waitMillis = next.map(at -> Math.max(1, at - runtime.clock.millis())).orElse(MAX_RETRY.toMillis());
        lock.lock();
        try {
            long nanos = Duration.ofMillis(Math.min(waitMillis, MAX_RETRY.toMillis())).toNanos();
            while (!woken && !closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Each contact's entries in order on a virtual thread of its own, so one unreachable contact delays no other. */
    private void deliverAll(List<OutboxEntry> due) throws InterruptedException {
        Map<String, List<OutboxEntry>> byContact = new LinkedHashMap<>();
        for (OutboxEntry e : due) {
            byContact.computeIfAbsent(e.identityRow() + "/" + e.contact().text(), k -> new ArrayList<>()).add(e);
        }
        List<Thread> threads = new ArrayList<>();
        for (List<OutboxEntry> entries : byContact.values()) {
            threads.add(Thread.ofVirtual().name("chat-deliver").start(() -> deliverInOrder(entries)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Sends one contact's due entries in order, up to {@link ChatSender#WINDOW} frames in flight on
     * one stream; each acked unit leaves the outbox as its ack comes, several in one transaction.
     * Whatever is not acked when something goes wrong is tried again after a backoff.
     */
    private void deliverInOrder(List<OutboxEntry> entries) {
        Batch batch = new Batch(entries.getFirst());
        Optional<String> retry = Optional.empty();
        try {
            for (List<OutboxEntry> unit : coalesce(entries)) {
                retry = batch.submit(unit);
                if (retry.isPresent()) {
                    break;
                }
                batch.settleDone();
            }
            Optional<String> failed = batch.settleAll();
            retry = retry.or(() -> failed);
        } catch (RuntimeException e) {
            retry = Optional.of(e.toString());
        }
        if (retry.isPresent()) {
            List<OutboxEntry> rest = batch.unsettled(entries);
            if (rest.isEmpty()) {
                return;
            }
            long at = runtime.clock.millis() + backoff(rest.getFirst().attempts()).toMillis();
            for (OutboxEntry e : rest) {
                try {
                    runtime.messages.retryAt(e.rowId(), at, retry.get());
                } catch (StorageException ex) {
                    log.warn("cannot reschedule a chat envelope: {}", ex.getMessage());
                }
            }
        }
    }

    /**
     * A unit written and waiting for its ack; {@code fannedBy} is the identity's chat when it went
     * through the device fan-out (whose texts then go to this user's other devices), else null.
     */
    private record InFlight(List<OutboxEntry> unit, CompletableFuture<ChatAck> ack, IdentityChat fannedBy) {}

    /**
     * One contact's round: the identity and contact looked up once, the stream chosen at the first
     * unit, the units in flight, and the row ids done with (acked or dropped).
     */
    private final class Batch {
        private final OutboxEntry first;
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
        private final Set<Long> settled = new HashSet<>();
        private String failure;

        Batch(OutboxEntry first) {
            this.first = first;
            this.identity = runtime.identities.all().stream().filter(i -> i.rowId() == first.identityRow())
                    .findFirst().orElse(null);
            this.contact = runtime.contact(first.identityRow(), first.contact());
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
                    settled.add(e.rowId());
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
                        inFlight.add(new InFlight(unit, outcome.thenApply(Batch::ackOf), chat));
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
                inFlight.add(new InFlight(unit, target.sender().submit(frame), null));
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
                    if (f.fannedBy() != null && envelope.content() instanceof ChatContent.Text) {
                        fanout.sentCopies(f.fannedBy(), envelope, ChatOutbox.this::submitTo);
                    }
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
            settled.addAll(rows);
            for (MessageId id : moved) {
                runtime.publish(new NodeEvent.ChatState(identity.userId().text(), first.contact().text(),
                        id.toString(), MessageState.SENT.wireName(), ""));
            }
        }

        /** The entries neither acked nor dropped, in order. */
        List<OutboxEntry> unsettled(List<OutboxEntry> entries) {
            return entries.stream().filter(e -> !settled.contains(e.rowId())).toList();
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
        try {
            worker.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.values().forEach(ChatSender::close);
        senders.clear();
    }
}
