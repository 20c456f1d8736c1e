package org.parley.node.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * is none, encrypts and sends, and drops an entry only once the device acknowledged it. An
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
    private final Map<PeerId, ChatSender> senders = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Subscription subscription;
    private boolean woken;
    private volatile boolean closed;
    private final Thread worker;

    ChatOutbox(ChatRuntime runtime, Host host, ContactDevices devices) {
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
                    for (Contact c : runtime.contacts.all(identity.rowId())) {
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

    private void deliverInOrder(List<OutboxEntry> entries) {
        List<List<OutboxEntry>> units = coalesceReceipts(entries);
        int done = 0;
        for (List<OutboxEntry> unit : units) {
            Optional<String> retry;
            try {
                retry = deliver(unit);
            } catch (RuntimeException e) {
                retry = Optional.of(e.toString());
            }
            if (retry.isPresent()) {
                long at = runtime.clock.millis() + backoff(unit.getFirst().attempts()).toMillis();
                for (OutboxEntry rest : entries.subList(done, entries.size())) {
                    try {
                        runtime.messages.retryAt(rest.rowId(), at, retry.get());
                    } catch (StorageException e) {
                        log.warn("cannot reschedule a chat envelope: {}", e.getMessage());
                    }
                }
                return;
            }
            done += unit.size();
        }
    }

    /**
     * Groups the entries into what goes out as one envelope: consecutive receipts of one kind
     * travel together (up to {@link ChatContent#MAX_RECEIPT_IDS} ids), everything else alone. A
     * burst of messages then costs one receipt frame back, not one per message.
     */
    static List<List<OutboxEntry>> coalesceReceipts(List<OutboxEntry> entries) {
        List<List<OutboxEntry>> units = new ArrayList<>();
        List<OutboxEntry> current = null;
        int ids = 0;
        ChatContent.ReceiptKind kind = null;
        for (OutboxEntry e : entries) {
            if (e.envelope().content() instanceof ChatContent.Receipt r) {
                if (current != null && r.kind() == kind && ids + r.messageIds().size() <= ChatContent.MAX_RECEIPT_IDS) {
                    current.add(e);
                    ids += r.messageIds().size();
                    continue;
                }
                current = new ArrayList<>(List.of(e));
                units.add(current);
                kind = r.kind();
                ids = r.messageIds().size();
            } else {
                current = null;
                units.add(List.of(e));
            }
        }
        return units;
    }

    /** The envelope a unit goes out as: the entry itself, or its receipts merged into the first one's envelope. */
    static ChatEnvelope envelopeOf(List<OutboxEntry> unit) {
        ChatEnvelope first = unit.getFirst().envelope();
        if (unit.size() == 1) {
            return first;
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

    /** Tries one unit; empty when it is done with (delivered or dropped), else why it must wait. */
    private Optional<String> deliver(List<OutboxEntry> unit) {
        OutboxEntry entry = unit.getFirst();
        ChatEnvelope envelope = envelopeOf(unit);
        LocalIdentity identity = runtime.identities.all().stream().filter(i -> i.rowId() == entry.identityRow())
                .findFirst().orElse(null);
        Optional<Contact> found = runtime.contact(entry.identityRow(), entry.contact());
        if (identity == null || found.isEmpty() || !mayCarry(found.get(), entry.envelope().content())) {
            for (OutboxEntry e : unit) {
                dropWithFailure(e, "the contact was removed or blocked, or has not accepted");
            }
            return Optional.empty();
        }
        Contact contact = found.get();
        if (contact.keyWarning()) {
            return Optional.of("held: a different identity key was presented for this contact; check the safety"
                    + " number, then run verify");
        }
        IdentityChat chat = runtime.chat(identity);
        String lastError = "no device of the contact is reachable";
        for (PeerId peer : candidates(contact)) {
            try {
                ChatAddress address = sessionWith(chat, contact, peer);
                ChatFrame frame = chat.sessions().encrypt(address, envelope);
                ChatAck ack = send(peer, frame);
                if (!ack.received()) {
                    lastError = "the contact's device refused it: " + ack.reason();
                    continue;
                }
                runtime.messages.remove(unit.stream().map(OutboxEntry::rowId).toList());
                if (MessageBody.isMessage(entry.envelope().content())) {
                    moved(identity, contact, entry, MessageState.SENT, "");
                }
                return Optional.empty();
            } catch (IdentityKeyChangedException e) {
                runtime.put(contact.withVerified(false, true, runtime.clock.instant()));
                runtime.publish(new NodeEvent.ContactKeyChanged(identity.userId().text(), contact.userId().text()));
                return Optional.of("held: " + e.getMessage());
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            } catch (ChatCryptoException | IOException e) {
                lastError = e.getMessage();
            }
        }
        return Optional.of(lastError);
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
        Contact latest = runtime.contact(contact.identityRow(), contact.userId()).orElse(contact);
        runtime.put(latest.withDevice(peer.toBase58(), address.device(), runtime.clock.instant()));
        return address;
    }

    private ChatAck send(PeerId peer, ChatFrame frame) throws IOException {
        ChatSender sender = senders.get(peer);
        if (sender == null) {
            sender = ChatSender.open(host, peer);
            ChatSender raced = senders.putIfAbsent(peer, sender);
            if (raced != null) {
                sender.close();
                sender = raced;
            }
        }
        try {
            return sender.send(frame);
        } catch (IOException e) {
            senders.remove(peer, sender);
            sender.close();
            throw e;
        }
    }

    private static boolean mayCarry(Contact contact, ChatContent content) {
        return switch (content) {
            case ChatContent.ContactRequest r -> contact.state() == ContactState.REQUESTED;
            case ChatContent.ContactResponse r -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Text t -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.FileOffer f -> contact.state() == ContactState.ACCEPTED;
            case ChatContent.Receipt r -> contact.state() == ContactState.ACCEPTED;
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

    private void moved(LocalIdentity identity, Contact contact, OutboxEntry entry, MessageState state, String reason)
            throws StorageException {
        if (runtime.messages.moveState(identity.rowId(), contact.userId(), entry.envelope().id(), state,
                Optional.empty())) {
            runtime.publish(new NodeEvent.ChatState(identity.userId().text(), contact.userId().text(),
                    entry.envelope().id().toString(), state.wireName(), reason));
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
