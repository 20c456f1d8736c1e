package org.parley.node.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.UserId;
import org.parley.chat.protocol.FrameSink;
import org.parley.chat.protocol.PrekeySource;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.IdentityKeyChangedException;
import org.parley.chat.session.ReplayedMessageException;
import org.parley.chat.wire.ChatAck;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ChatFrame;
import org.parley.chat.wire.ChatFrameCodec;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.chat.wire.PrekeyBundleMessage;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.storage.DeferredWrites;
import org.parley.node.storage.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on {@code /parley/chat/1.0.0} and {@code 1.1.0} and {@code /parley/prekeys/1.0.0}:
 * decrypts each frame with the identity that holds its session, applies consent (a stranger's
 * contact request is kept, rate limited; anything else from someone not accepted is dropped
 * unstored; a blocked sender is dropped silently), keeps texts and answers them with their
 * delivered receipt (on the ack on 1.1.0, else queued before the ack), and applies receipts and
 * contact responses, those that came on the outbox's acks too ({@link ReplySink}). Hands out
 * prekey bundles, rate limited per peer. Thread safe.
 */
final class ChatInbox implements FrameSink, PrekeySource, ReplySink {

    private static final Logger log = LoggerFactory.getLogger(ChatInbox.class);

    /**
     * Contact requests one peer may bring per hour, across sender identities: a person adds a few
     * contacts a day; a peer minting identities to flood requests is cut off after this many.
     */
    static final int REQUESTS_PER_PEER_PER_HOUR = 10;

    /**
     * Requests one sender identity may make per hour. A pending request is kept once, so a flood
     * from one sender shows as one whatever this is; past it, repeats are not even decrypted into
     * a state change.
     */
    static final int REQUESTS_PER_SENDER_PER_HOUR = 3;

    /**
     * Prekey bundles one peer may fetch per hour: each spends one-time keys, and an honest peer
     * needs one per new session; 30 covers reinstalls and retries, a draining peer stops here.
     */
    static final int BUNDLES_PER_PEER_PER_HOUR = 30;

    private static final Duration HOUR = Duration.ofHours(1);

    private final ChatRuntime runtime;
    private final OutboxWake wakeOutbox;
    private final SiblingCopies siblings;
    private final RevokedDevices revoked;

    /** Whether {@code contact} (of local identity {@code identityRow}) revoked its device at {@code peer}. */
    @FunctionalInterface
    interface RevokedDevices {
        boolean test(long identityRow, UserId contact, PeerId peer);
    }
    private final RequestLimiter requestsPerPeer;
    private final RequestLimiter requestsPerSender;
    private final RequestLimiter bundlesPerPeer;

    private final GroupService groups;
    private final CoMembers coMembers;

    ChatInbox(ChatRuntime runtime, OutboxWake wakeOutbox) {
        this(runtime, wakeOutbox, null, (identity, contact, peer) -> false, null);
    }

    /**
     * @param siblings takes frames from this user's other devices; null to refuse them
     * @param revoked whether a contact's signed device list revoked a peer: its frames are refused
     * @param groups where group traffic from accepted contacts goes (null: dropped)
     */
    ChatInbox(ChatRuntime runtime, OutboxWake wakeOutbox, SiblingCopies siblings, RevokedDevices revoked,
            GroupService groups) {
        this(runtime, wakeOutbox, siblings, revoked, groups, null);
    }

    /** @param coMembers whose group envelopes are taken though they are not accepted contacts; null for none */
    ChatInbox(ChatRuntime runtime, OutboxWake wakeOutbox, SiblingCopies siblings, RevokedDevices revoked,
            GroupService groups, CoMembers coMembers) {
        this.coMembers = coMembers;
        this.revoked = revoked;
        this.siblings = siblings;
        this.groups = groups;
        this.runtime = runtime;
        this.wakeOutbox = wakeOutbox;
        this.requestsPerPeer = new RequestLimiter(REQUESTS_PER_PEER_PER_HOUR, HOUR, runtime.clock);
        this.requestsPerSender = new RequestLimiter(REQUESTS_PER_SENDER_PER_HOUR, HOUR, runtime.clock);
        this.bundlesPerPeer = new RequestLimiter(BUNDLES_PER_PEER_PER_HOUR, HOUR, runtime.clock);
    }

    @Override
    public Optional<PrekeyBundleMessage> bundleFor(UserId identity, String requester) {
        Optional<LocalIdentity> local = runtime.identities.active().stream()
                .filter(i -> i.userId().equals(identity)).findFirst();
        if (local.isEmpty()) {
            return Optional.empty();
        }
        if (!bundlesPerPeer.tryAcquire(requester)) {
            log.info("prekey bundle refused to {}: more than {} an hour", requester, BUNDLES_PER_PEER_PER_HOUR);
            return Optional.empty();
        }
        return Optional.of(runtime.chat(local.get()).prekeys().nextBundle());
    }

    /**
     * Takes frames that arrived together in one database transaction (group commit): their session
     * steps, messages and queued receipts commit at once, before any of their acks goes back; if
     * anything fails, none is kept and the stream is reset, so the sender sends them all again.
     *
     * <p>The common frame, a message in a session with an accepted contact, is decrypted before
     * that transaction, holding only the session locks: its session write is deferred into the
     * transaction ({@link DeferredWrites}), so the database's lock is not held while libsignal
     * decrypts (about a third of the time it was held). Every other frame is taken whole inside it.
     */
    @Override
    public List<ChatAck> acceptAll(PeerId from, List<ChatFrame> frames) throws Exception {
        return acceptAll(from, frames, false);
    }

    /**
     * With {@code replies} (a {@code /parley/chat/1.1.0} stream), a frame of texts from an accepted
     * contact is answered with their delivered receipt on its ack, encrypted to the device that sent
     * them in the same batch transaction, instead of a receipt queued in the outbox.
     */
    @Override
    public List<ChatAck> acceptAll(PeerId from, List<ChatFrame> frames, boolean replies) throws Exception {
        return take(frames.stream().map(f -> new Reply(from, f)).toList(), replies, c -> null);
    }

    /**
     * Takes the replies the outbox's acks carried (delivered receipts) as frames from their peers,
     * after {@code first} (the outbox recording those acks), in one transaction. A reply not taken
     * (it did not decrypt, say) leaves its texts sent, not delivered.
     */
    @Override
    public void acceptReplies(List<Reply> replies, SqlWork<?> first) throws Exception {
        List<ChatAck> acks = take(replies, false, first);
        for (int i = 0; i < replies.size(); i++) {
            if (!acks.get(i).received()) {
                log.info("a reply from {} was not taken: {}", replies.get(i).from(), acks.get(i).reason());
            }
        }
    }

    /**
     * Takes frames (each with the peer it came from) in one database transaction after
     * {@code first}, as {@link #acceptAll(PeerId, List, boolean)} describes; their acks.
     */
    private List<ChatAck> take(List<Reply> frames, boolean replies, SqlWork<?> first) throws Exception {
        // Lock order: the identities' session locks (by row id), then the database, as the outbox takes them.
        // The frames are tried against exactly the identities whose locks are held: one created
        // meanwhile waits for the next batch.
        List<LocalIdentity> active = runtime.identities.active();
        List<IdentityChat> chats = active.stream()
                .sorted(java.util.Comparator.comparingLong(LocalIdentity::rowId)).map(runtime::chat).toList();
        return holdingAll(chats, 0, () -> {
            try (DeferredWrites sessionSteps = runtime.deferWrites()) {
                List<Optional<Opened>> opened = new ArrayList<>(frames.size());
                for (Reply f : frames) {
                    opened.add(openEarly(f.from(), f.frame(), active, replies));
                }
                return sessionSteps.commit(c -> {
                    first.run(c);
                    List<ChatAck> acks = new ArrayList<>(frames.size());
                    for (int i = 0; i < frames.size(); i++) {
                        Reply f = frames.get(i);
                        acks.add(opened.get(i).isPresent() ? applyOpened(f.from(), f.frame(), opened.get(i).get())
                                : accept(f.from(), f.frame(), active));
                    }
                    return acks;
                });
            }
        });
    }

    /**
     * A frame decrypted before its batch's transaction, by the identity it was for, and the reply
     * its ack carries (the texts' delivered receipt, encrypted then too), if any.
     */
    private record Opened(LocalIdentity identity, ChatEnvelope envelope, Optional<ChatFrame> reply) {}

    /**
     * Decrypts {@code frame} now if it is a message in a session with an accepted contact, and
     * {@link #accept} would decrypt it with that identity ({@link #screen}); empty for every other
     * frame, and for one that does not decrypt, which {@link #accept} then takes as before (a
     * failed decryption stores nothing).
     */
    private Optional<Opened> openEarly(PeerId from, ChatFrame frame, List<LocalIdentity> identities, boolean replies) {
        if (frame.kind() != ChatFrame.CiphertextKind.WHISPER || isOwn(frame.sender())) {
            return Optional.empty();
        }
        for (LocalIdentity identity : identities) {
            Screen screen = screen(from, frame, identity);
            if (screen instanceof Screen.Next) {
                continue;
            }
            if (!(screen instanceof Screen.Decrypt decrypt) || decrypt.contact().isEmpty()
                    || decrypt.contact().get().state() != ContactState.ACCEPTED) {
                return Optional.empty();
            }
            ChatEnvelope envelope;
            try {
                envelope = decrypt.chat().sessions().decrypt(frame);
            } catch (ChatCryptoException e) {
                return Optional.empty();
            }
            return Optional.of(new Opened(identity, envelope,
                    replies ? receiptReply(decrypt.chat(), frame, envelope) : Optional.empty()));
        }
        return Optional.empty();
    }

    /**
     * The delivered receipt for the texts {@code envelope} holds (one, or a batch's), encrypted to
     * the device that sent them, for the frame's ack; empty for any other content, or if it cannot
     * be encrypted (the receipt is then queued, as on 1.0.0). The receipt names every text, kept
     * before or not: a text sent again because its ack was lost needs its receipt again.
     */
    private Optional<ChatFrame> receiptReply(IdentityChat chat, ChatFrame frame, ChatEnvelope envelope) {
        List<MessageId> ids = switch (envelope.content()) {
            case ChatContent.Text t -> List.of(envelope.id());
            case ChatContent.FileOffer f -> List.of(envelope.id());
            case ChatContent.Batch b -> b.envelopes().stream().map(ChatEnvelope::id).toList();
            default -> List.of();
        };
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        try {
            ChatFrame reply = chat.sessions().encrypt(new ChatAddress(frame.sender(), frame.senderDevice()),
                    deliveredReceipt(envelope, ids));
            return ChatFrameCodec.fitsAsReply(reply) ? Optional.of(reply) : Optional.empty();
        } catch (ChatCryptoException e) {
            log.debug("no receipt on the ack to {}: {}", frame.sender(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The rest of {@link #accept} for a frame {@link #openEarly} decrypted, inside the batch's transaction. */
    private ChatAck applyOpened(PeerId from, ChatFrame frame, Opened opened) {
        runtime.hlc.observe(opened.envelope().timestamp());
        // The contact as it is now: a change since the decryption (a block) counts.
        return apply(opened.identity(), from, frame, runtime.contact(opened.identity().rowId(), frame.sender()),
                opened.envelope(), opened.reply());
    }

    private static <T> T holdingAll(List<IdentityChat> chats, int from, java.util.concurrent.Callable<T> work)
            throws Exception {
        if (from == chats.size()) {
            return work.call();
        }
        return chats.get(from).sessions().exclusively(() -> holdingAll(chats, from + 1, work));
    }

    @Override
    public ChatAck accept(PeerId from, ChatFrame frame) {
        return accept(from, frame, runtime.identities.active());
    }

    private ChatAck accept(PeerId from, ChatFrame frame, List<LocalIdentity> identities) {
        if (isOwn(frame.sender())) {
            return siblings == null ? ChatAck.rejected("a frame from one of this node's own identities")
                    : siblings.accept(from, frame);
        }
        ChatCryptoException last = null;
        for (LocalIdentity identity : identities) {
            Screen screen = screen(from, frame, identity);
            if (screen instanceof Screen.Answer answer) {
                return answer.ack();
            }
            if (!(screen instanceof Screen.Decrypt decrypt)) {
                continue;
            }
            ChatEnvelope envelope;
            try {
                envelope = decrypt.chat().sessions().decrypt(frame);
            } catch (ReplayedMessageException e) {
                return ChatAck.rejected("replayed message");
            } catch (IdentityKeyChangedException e) {
                decrypt.contact().ifPresent(c -> warnKeyChanged(identity, c));
                return ChatAck.rejected("identity key not trusted");
            } catch (ChatCryptoException e) {
                last = e;
                continue;
            }
            runtime.hlc.observe(envelope.timestamp());
            return apply(identity, from, frame, decrypt.contact(), envelope, Optional.empty());
        }
        log.debug("a chat frame from {} ({}) decrypts for no identity here: {}", frame.sender(), from,
                last == null ? "no session" : last.getMessage());
        return ChatAck.rejected("no session for this frame");
    }

    /** What the checks before decryption decide for a frame and one local identity. */
    private sealed interface Screen {
        /** Answer the frame with {@code ack}, decrypting nothing. */
        record Answer(ChatAck ack) implements Screen {}

        /** Not for this identity: try the next. */
        record Next() implements Screen {}

        /** Decrypt it as this identity, whose contact the sender is, if any. */
        record Decrypt(IdentityChat chat, Optional<Contact> contact) implements Screen {}
    }

    /**
     * The checks {@link #accept} and {@link #openEarly} make before they decrypt a frame as
     * {@code identity}, in this order: a blocked sender, a revoked device, a session to decrypt in.
     */
    private Screen screen(PeerId from, ChatFrame frame, LocalIdentity identity) {
        IdentityChat chat = runtime.chat(identity);
        Optional<Contact> contact = runtime.contact(identity.rowId(), frame.sender());
        if (contact.isPresent() && contact.get().state() == ContactState.BLOCKED) {
            // Silent: the sender learns nothing, and nothing of theirs is decrypted or kept.
            return frame.kind() == ChatFrame.CiphertextKind.PREKEY || hasSession(chat, frame)
                    ? new Screen.Answer(ChatAck.ok()) : new Screen.Next();
        }
        if (contact.isPresent() && revoked.test(identity.rowId(), frame.sender(), from)) {
            return new Screen.Answer(ChatAck.rejected("a revoked device of this contact"));
        }
        if (frame.kind() == ChatFrame.CiphertextKind.WHISPER && !hasSession(chat, frame)) {
            return new Screen.Next();
        }
        return new Screen.Decrypt(chat, contact);
    }

    private static boolean hasSession(IdentityChat chat, ChatFrame frame) {
        return chat.sessions().hasSession(new ChatAddress(frame.sender(), frame.senderDevice()));
    }

    private boolean isOwn(UserId user) {
        return runtime.identities.all().stream().anyMatch(i -> i.userId().equals(user));
    }

    /**
     * Applies a decrypted frame's envelope. A text (or batch, or file offer) with a {@code reply}
     * (its delivered receipt, made for the ack) gets it on its ack when it is taken; without one, its
     * receipt is queued in the outbox with the text.
     */
    private ChatAck apply(LocalIdentity identity, PeerId from, ChatFrame frame, Optional<Contact> known,
            ChatEnvelope envelope, Optional<ChatFrame> reply) {
        UserId sender = frame.sender();
        long now = runtime.clock.millis();
        switch (envelope.content()) {
            case ChatContent.Cover cover -> {
                // Cover traffic: acked like any frame, so the link looks the same; nothing is kept or told.
                return ChatAck.ok();
            }
            case ChatContent.Batch batch -> {
                if (known.isEmpty() || known.get().state() != ContactState.ACCEPTED) {
                    // Consent, as for a text alone.
                    return ChatAck.ok();
                }
                // Each text as if it had come alone, kept once by its id; the sending device is
                // remembered once, and one delivered receipt names every text newly kept (one
                // queued row and one frame back for the batch, not one each).
                rememberDevice(known.get(), from, frame.senderDevice());
                List<MessageId> kept = new ArrayList<>(batch.envelopes().size());
                for (ChatEnvelope text : batch.envelopes()) {
                    runtime.hlc.observe(text.timestamp());
                    if (keep(identity, sender, text, ((ChatContent.Text) text.content()).text(), Optional.empty(), now)) {
                        kept.add(text.id());
                    }
                }
                if (!kept.isEmpty() && reply.isEmpty()) {
                    queue(identity, sender, deliveredReceipt(envelope, kept));
                }
                return ChatAck.ok(reply);
            }
            case ChatContent.ContactRequest request ->
                    onRequest(identity, from, frame, known, request, envelope.timestamp(), envelope.id());
            case ChatContent.ContactResponse response -> {
                if (known.isPresent() && known.get().state() == ContactState.REQUESTED) {
                    Contact updated = known.get().withState(response.accepted() ? ContactState.ACCEPTED
                            : ContactState.DECLINED, runtime.clock.instant())
                            .withDevice(from.toBase58(), frame.senderDevice(), runtime.clock.instant());
                    runtime.put(updated);
                    runtime.publish(new NodeEvent.ContactState(identity.userId().text(), sender.text(),
                            updated.state().wireName()));
                    wakeOutbox.queued(identity.rowId(), sender);
                }
            }
            case ChatContent.Text text -> {
                if (known.isEmpty() || known.get().state() != ContactState.ACCEPTED) {
                    // Consent: nothing but a request is kept from someone not accepted.
                    return ChatAck.ok();
                }
                rememberDevice(known.get(), from, frame.senderDevice());
                return keepWithReceipt(identity, sender, envelope, text.text(), reply, now);
            }
            case ChatContent.GroupOps ops -> {
                return onGroup(identity, from, frame, known, ops);
            }
            case ChatContent.GroupMessage message -> {
                return onGroup(identity, from, frame, known, message);
            }
            case ChatContent.FileOffer offer -> {
                if (known.isEmpty() || known.get().state() != ContactState.ACCEPTED) {
                    return ChatAck.ok();
                }
                String name = MessageBody.nameOf(offer.link());
                if (name.isEmpty()) {
                    // Not a file link: nothing a user could download. Acknowledged, so it is not sent again.
                    log.info("dropped a file offer from {} whose link does not parse", sender);
                    return ChatAck.ok();
                }
                rememberDevice(known.get(), from, frame.senderDevice());
                return keepWithReceipt(identity, sender, envelope, name, reply, now);
            }
            case ChatContent.Receipt receipt -> {
                if (known.isEmpty() || known.get().state() != ContactState.ACCEPTED) {
                    return ChatAck.ok();
                }
                MessageState state = receipt.kind() == ChatContent.ReceiptKind.READ ? MessageState.READ
                        : MessageState.DELIVERED;
                List<MessageId> moved;
                try {
                    moved = runtime.messages.moveOutgoing(identity.rowId(), sender, receipt.messageIds(), state);
                } catch (org.parley.node.storage.StorageException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (!moved.isEmpty()) {
                    runtime.history.recorded();
                }
                for (MessageId id : moved) {
                    runtime.publish(new NodeEvent.ChatState(identity.userId().text(), sender.text(), id.toString(),
                            state.wireName(), ""));
                }
            }
        }
        return ChatAck.ok();
    }

    /**
     * Keeps one message from {@code sender} and answers it: with {@code reply} (its receipt) on the
     * ack, or, without, with its receipt queued with it (once, when it is new).
     */
    private ChatAck keepWithReceipt(LocalIdentity identity, UserId sender, ChatEnvelope envelope, String text,
            Optional<ChatFrame> reply, long now) {
        Optional<ChatEnvelope> queued = reply.isPresent() ? Optional.empty()
                : Optional.of(deliveredReceipt(envelope, List.of(envelope.id())));
        if (keep(identity, sender, envelope, text, queued, now) && queued.isPresent()) {
            wakeOutbox.queued(identity.rowId(), sender);
        }
        return ChatAck.ok(reply);
    }

    /**
     * Keeps a message from {@code sender} once by its id (queuing {@code receipt} with it, if
     * given), and tells of it; false if it was kept before.
     */
    private boolean keep(LocalIdentity identity, UserId sender, ChatEnvelope envelope, String text,
            Optional<ChatEnvelope> receipt, long now) {
        boolean kept = store(() -> runtime.messages.addIncoming(identity.rowId(), sender, envelope, text, receipt, now));
        if (kept) {
            runtime.history.recorded();
            runtime.publish(new NodeEvent.ChatMessage(identity.userId().text(), sender.text(),
                    envelope.id().toString(), false, envelope.timestamp().physicalMillis(),
                    envelope.timestamp().counter(), text));
        }
        return kept;
    }

    /** A delivered receipt for {@code ids}, in the conversation {@code envelope} came in. */
    private ChatEnvelope deliveredReceipt(ChatEnvelope envelope, List<MessageId> ids) {
        return new ChatEnvelope(MessageId.next(), runtime.hlc.now(), envelope.conversation(),
                new ChatContent.Receipt(ChatContent.ReceiptKind.DELIVERED, ids));
    }

    /**
     * Consent for group traffic: from an accepted contact, or from a co-member of the group the
     * envelope names (membership is consent for that group's envelopes only, see {@link CoMembers}).
     * From anyone else it is refused unkept: a stranger learns nothing, while a member whose
     * addition has not reached this node yet has its outbox send it again later.
     */
    private ChatAck onGroup(LocalIdentity identity, PeerId from, ChatFrame frame, Optional<Contact> known,
            ChatContent content) {
        if (groups == null) {
            return ChatAck.ok();
        }
        boolean contact = known.isPresent() && known.get().state() == ContactState.ACCEPTED;
        if (!contact) {
            if (coMembers == null || !coMembers.mayCarry(identity.rowId(), frame.sender(), content)) {
                return ChatAck.rejected("not a member of a group shared here");
            }
        }
        if (contact) {
            rememberDevice(known.get(), from, frame.senderDevice());
        } else if (known.isEmpty()) {
            coMembers.reached(identity.rowId(), frame.sender(), from.toBase58(), frame.senderDevice());
        }
        groups.receive(identity, new org.parley.chat.session.ChatAddress(frame.sender(), frame.senderDevice()), content);
        return ChatAck.ok();
    }

    private void onRequest(LocalIdentity identity, PeerId from, ChatFrame frame, Optional<Contact> known,
            ChatContent.ContactRequest request, HlcTimestamp requested, MessageId requestId) {
        UserId sender = frame.sender();
        if (known.isPresent()) {
            switch (known.get().state()) {
                case REQUESTED -> {
                    // Both asked: that is consent on both sides.
                    runtime.put(known.get().withState(ContactState.ACCEPTED, runtime.clock.instant())
                            .withDevice(from.toBase58(), frame.senderDevice(), runtime.clock.instant()));
                    queueResponse(identity, sender);
                }
                case ACCEPTED -> queueResponse(identity, sender);
                case PENDING, DECLINED, BLOCKED -> {
                    // A repeat shows as the one request already pending; a declined sender is not asked again.
                }
            }
            return;
        }
        if (!requestsPerSender.tryAcquire(sender.text()) || !requestsPerPeer.tryAcquire(from.toBase58())) {
            log.info("a contact request from {} via {} dropped: rate limit", sender, from);
            return;
        }
        var now = runtime.clock.instant();
        Contact pending = new Contact(identity.rowId(), sender, Optional.empty(), request.displayName(),
                ContactState.PENDING, Optional.of(request.intro()), false, false, List.of(), Optional.of(from.toBase58()),
                OptionalInt.of(frame.senderDevice()), ChatRuntime.conversation(identity.userId(), sender), now, now);
        if (!runtime.putRequest(pending, requested, requestId)) {
            log.info("a contact request from {} dropped: a copy of the request this user removed them after", sender);
            return;
        }
        runtime.publish(new NodeEvent.ContactRequest(identity.userId().text(), sender.text(),
                request.displayName().orElse(""), request.intro()));
    }

    private void queueResponse(LocalIdentity identity, UserId contact) {
        queue(identity, contact, new ChatEnvelope(MessageId.next(), runtime.hlc.now(),
                ChatRuntime.conversation(identity.userId(), contact), new ChatContent.ContactResponse(true)));
    }

    /** Queues {@code envelope} for {@code contact} and wakes that contact's delivery. */
    private void queue(LocalIdentity identity, UserId contact, ChatEnvelope envelope) {
        store(() -> {
            runtime.messages.queue(identity.rowId(), contact, envelope, runtime.clock.millis());
            return true;
        });
        wakeOutbox.queued(identity.rowId(), contact);
    }

    /** Stores {@code from} and {@code device} as the contact's device if they changed; the contact as it now is. */
    private Contact rememberDevice(Contact contact, PeerId from, int device) {
        String peer = from.toBase58();
        if (contact.peerId().equals(Optional.of(peer)) && contact.device().equals(OptionalInt.of(device))) {
            return contact;
        }
        Contact moved = contact.withDevice(peer, device, runtime.clock.instant());
        runtime.put(moved);
        return moved;
    }

    private void warnKeyChanged(LocalIdentity identity, Contact contact) {
        if (!contact.keyWarning()) {
            runtime.put(contact.withVerified(false, true, runtime.clock.instant()));
            runtime.publish(new NodeEvent.ContactKeyChanged(identity.userId().text(), contact.userId().text()));
        }
    }

    /** Runs a storage step; a failure resets the stream (the sender retries), never a half-applied ack. */
    private static boolean store(StorageStep step) {
        try {
            return step.run();
        } catch (org.parley.node.storage.StorageException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface StorageStep {
        boolean run() throws org.parley.node.storage.StorageException;
    }
}
