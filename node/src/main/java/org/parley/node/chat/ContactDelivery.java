package org.parley.node.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.parley.chat.protocol.ChatSender;
import org.parley.chat.protocol.PrekeyInitiator;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.IdentityKeyChangedException;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.PrekeyAnswer;
import org.parley.libp2p.host.Host;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.StorageException;

/**
 * One contact's delivery, under way in its lane (see {@link ChatOutbox}): it writes the lane's
 * entries in order, coalesced into units, to the contact's devices (every device on the contact's
 * signed list through the {@link DeviceFanout}, else the one device the contact was last seen on),
 * and records each ack as it comes. It holds the identity looked up once, the contact as of the
 * last read, the stream chosen at the first unit, the units in flight, and the entries read and
 * not yet done with (acked or dropped). Used by its lane's thread alone, but for the answer
 * callback, which only wakes the lane.
 */
final class ContactDelivery {

    /** What a delivery uses of the outbox: the runtime, the host, how devices are found, the fan-out, the streams. */
    record Parts(ChatRuntime runtime, Host host, ContactDevices devices, DeviceFanout fanout, CoMembers coMembers,
            ChatStreams streams, ReplySink replies) {}

    /**
     * A unit written and waiting for its ack; {@code fannedBy} is the identity's chat when it went
     * through the device fan-out (whose texts then go to this user's other devices), else null.
     */
    private record InFlight(List<OutboxEntry> unit, ChatEnvelope envelope, CompletableFuture<Answer> ack,
            IdentityChat fannedBy) {}

    /** A unit's answer: the ack (for a fan-out, taken if a device took it), and the replies the acks carried. */
    private record Answer(ChatAck ack, List<Reply> replies) {}

    /** Where a batch's frames go: the device's peer, its session address, the stream to it. */
    private record Target(PeerId peer, ChatAddress address, ChatSender sender) {}

    private final ChatRuntime runtime;
    private final Host host;
    private final ContactDevices devices;
    private final DeviceFanout fanout;
    private final CoMembers coMembers;
    private final ChatStreams streams;
    private final ReplySink replies;
    private final OutboxEntry first;
    private final Runnable onAnswer;
    private final LocalIdentity identity;
    private Optional<Contact> contact;
    private Target target;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /**
     * The stream each device's frames take in this lane, kept for the lane's whole life: a later
     * frame never goes out on a new stream while an earlier one may still fail on the old one,
     * so what a device acks is always a prefix of what it was sent, as on the single-device path.
     */
    private final Map<PeerId, ChatSender> pinned = new java.util.HashMap<>();
    /** The entries read and neither acked nor dropped, by row id, in order. */
    private final Map<Long, OutboxEntry> open = new LinkedHashMap<>();
    private long lastRead;
    private String failure;

    /** @param onAnswer called (on the stream's thread) when an ack in flight comes */
    ContactDelivery(Parts parts, OutboxEntry first, Runnable onAnswer) {
        this.runtime = parts.runtime();
        this.host = parts.host();
        this.devices = parts.devices();
        this.fanout = parts.fanout();
        this.coMembers = parts.coMembers();
        this.streams = parts.streams();
        this.replies = parts.replies();
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
        for (List<OutboxEntry> unit : OutboxUnits.coalesce(fresh)) {
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
    private Optional<String> submit(List<OutboxEntry> unit) {
        ChatContent content = unit.getFirst().envelope().content();
        Optional<Contact> route = contact.filter(c -> mayCarry(c, content));
        if (identity != null && route.isEmpty()) {
            // The contact may have moved on since the lane last read it (a response accepted it).
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
        ChatEnvelope envelope = OutboxUnits.envelopeOf(unit);
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
                    track(new InFlight(unit, envelope, outcome.thenApply(o -> new Answer(ackOf(o), o.replies())), chat));
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
            PeerId peer = target.peer();
            track(new InFlight(unit, envelope, target.sender().submit(frame).thenApply(ack -> new Answer(ack,
                    ack.reply().map(r -> List.of(new Reply(peer, r))).orElse(List.of()))), null));
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
                target = new Target(peer, address, streams.sender(peer));
                return Optional.empty();
            } catch (IdentityKeyChangedException e) {
                throw e;
            } catch (ChatCryptoException | IOException e) {
                lastError = e.getMessage();
            }
        }
        return Optional.of(lastError);
    }

    /** Writes to {@code peer} on the stream this lane took for it first. */
    private CompletableFuture<ChatAck> submitPinned(PeerId peer, ChatFrame frame) throws IOException {
        ChatSender sender = pinned.get(peer);
        if (sender == null) {
            sender = streams.sender(peer);
            pinned.put(peer, sender);
        }
        return streams.submitOn(peer, sender, frame);
    }

    /** A fan-out's outcome as the ack the lane reads: taken, or failed with the last error. */
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

    /**
     * Removes the acked units from the outbox and tells of the texts now sent, in one transaction
     * with the replies their acks carried (delivered receipts), which then tell of the texts
     * delivered. If that transaction fails, the units stay open and are sent again.
     */
    private void record(List<InFlight> done) {
        if (done.isEmpty()) {
            return;
        }
        List<Long> rows = new ArrayList<>();
        List<MessageId> texts = new ArrayList<>();
        List<Reply> carried = new ArrayList<>();
        for (InFlight f : done) {
            Answer answer;
            try {
                answer = ChatSender.await(f.ack());
            } catch (IOException e) {
                failure = failure == null ? e.getMessage() : failure;
                if (f.fannedBy() == null) {
                    forget(target);
                }
                continue;
            }
            ChatAck ack = answer.ack();
            if (!ack.received()) {
                failure = failure == null ? "the contact's device refused it: " + ack.reason() : failure;
                continue;
            }
            carried.addAll(answer.replies());
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
                fanout.sentCopies(f.fannedBy(), f.envelope(), streams::submit);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        if (carried.isEmpty()) {
            try {
                tellSent(runtime.messages.markSent(first.identityRow(), first.contact(), rows, texts));
            } catch (StorageException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            try {
                // Sent is told inside the transaction, as the replies' delivered is: sent first.
                replies.acceptReplies(carried, c -> {
                    List<MessageId> moved = runtime.messages.markSent(c, first.identityRow(), first.contact(), rows,
                            texts);
                    tellSent(moved);
                    return moved;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? "interrupted while recording acks" : failure;
                return;
            } catch (Exception e) {
                // The acks' record fails with their replies: the units stay open, this lane ends,
                // and they are sent again after a backoff, their acks bringing new replies.
                failure = failure == null ? "recording the acks and their replies failed: " + e : failure;
                return;
            }
        }
        rows.forEach(open::remove);
    }

    private void tellSent(List<MessageId> moved) {
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

    /** Drops the single-device path's stream from the pool. */
    private void forget(Target target) {
        if (target != null) {
            streams.forget(target.peer(), target.sender());
        }
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
}
