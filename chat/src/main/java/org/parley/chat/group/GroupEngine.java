package org.parley.chat.group;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.UUID;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.session.ChatCryptoException;
import org.parley.chat.session.GroupSenderKeys;
import org.parley.chat.session.InvalidChatMessageException;
import org.parley.chat.session.NoSenderKeyException;
import org.parley.chat.session.ReplayedMessageException;
import org.parley.chat.session.SessionManager;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.libp2p.core.PeerFaultException;
import org.signal.libsignal.protocol.IdentityKeyPair;

/**
 * One local identity's groups: issues signed operations, applies other members' operations after
 * checking them ({@link GroupLog}), and sends and receives group messages with libsignal sender
 * keys. It touches no network and no disk: every step returns a {@link GroupUpdate} whose
 * deliveries the node hands to its outbox, and the node stores the chains ({@link #chain}) and
 * the texts.
 *
 * <p>Epochs: every operation starts one, named by {@link GroupState#distributionId()}. A member
 * sends in the current epoch and hands its sender key for it to the epoch's other members, over
 * their pairwise sessions, right before its first message in it. So a member removed in an
 * operation never holds a key of a later epoch, and a member added never held one of an earlier
 * epoch. A message is accepted from a member of its epoch; from an earlier epoch only while its
 * author is still a member. A message or key that arrives before the operation or key it needs
 * waits (up to {@link #MAX_PENDING}) and is tried again when something new is applied.
 *
 * <p>Relays: a sender that cannot reach some members names them in the copies for up to
 * {@link #RELAYERS} members it can reach, who pass the ciphertext on ({@link #relay}); a relay
 * request is honoured only from the author, and a relayed copy asks for nothing further. Each
 * message is shown once by id, whichever path it came by.
 *
 * <p>Thread safe: every method is synchronized.
 */
public final class GroupEngine {

    /**
     * Group messages waiting for the operation or sender key they need. A member back from a week
     * away in a busy group meets a few hundred; beyond this the oldest are dropped (and counted as
     * refused), so a hostile peer cannot grow memory.
     */
    public static final int MAX_PENDING = 1_024;

    /**
     * Message ids remembered per group to show each message once, whatever path it came by. Relayed
     * copies arrive within minutes; the node's message store catches anything older.
     */
    public static final int MAX_REMEMBERED_IDS = 10_000;

    /**
     * Members asked to relay one message to those its sender cannot reach: two, so one relayer
     * being away too does not stop it, while each unreachable member gets at most three copies.
     */
    public static final int RELAYERS = 2;

    private final GroupSenderKeys keys;
    private final IdentityKeyPair identity;
    private final UserId self;
    private final int device;
    private final Map<ConversationId, GroupLog> logs = new LinkedHashMap<>();
    private final Map<ConversationId, Set<UUID>> distributed = new HashMap<>();
    private final Map<ConversationId, SequencedSet<MessageId>> seen = new HashMap<>();
    private final ArrayDeque<Waiting> pending = new ArrayDeque<>();
    /** Whether deliveries to this identity's own other devices are made too (see {@link #copyToSiblings}). */
    private boolean siblingCopies;
    /** Counts changes to {@link #pending}, so the node rewrites its stored copy only when it changed. */
    private long pendingVersion;

    /** A group message waiting for the operation or sender key it needs, and the device it came from. */
    public record Waiting(ChatAddress from, ChatContent.GroupMessage message) {}

    public GroupEngine(SessionManager sessions) {
        this.keys = sessions.senderKeys();
        this.identity = sessions.identityKeyPair();
        this.self = sessions.self();
        this.device = sessions.localDevice();
    }

    public UserId self() {
        return self;
    }

    /** The groups this identity holds a history of (including ones it left or was removed from). */
    public synchronized List<GroupState> groups() {
        return logs.values().stream().map(GroupLog::head).toList();
    }

    public synchronized Optional<GroupState> state(ConversationId group) {
        return Optional.ofNullable(logs.get(group)).map(GroupLog::head);
    }

    /**
     * Whether {@code user} and this identity share {@code group}, so that its traffic may pass
     * between them even when they are not each other's contacts: this identity is a current member,
     * and the user is one or was one (a removed member is still told of its removal; what a former
     * member sends the rules refuse).
     */
    public synchronized boolean shares(ConversationId group, UserId user) {
        GroupLog log = logs.get(group);
        return log != null && !user.equals(self) && log.head().isMember(self) && log.wasMember(user);
    }

    /**
     * Makes every step also deliver to this identity itself ({@link GroupDelivery#to()} is {@link
     * #self()}): its operations, its sender key and its ciphertexts, for the node to pass to this
     * user's other devices, which then know the group and show what this device sent. Off by
     * default: an engine without sibling devices has no use for them.
     */
    public synchronized void copyToSiblings(boolean on) {
        this.siblingCopies = on;
    }

    /** The messages waiting for what they need, oldest first: what a node keeps across a restart. */
    public synchronized List<Waiting> waiting() {
        return List.copyOf(pending);
    }

    /** A number that changes whenever {@link #waiting()} may have changed. */
    public synchronized long waitingVersion() {
        return pendingVersion;
    }

    /**
     * Takes back, at start, messages that were waiting when the node stopped (after {@link
     * #restore} of the chains); they are tried again when the next operation or sender key comes.
     */
    public synchronized void restoreWaiting(List<Waiting> waiting) {
        Updates ignored = new Updates();
        for (Waiting w : waiting) {
            wait(w.from(), w.message(), ignored);
        }
    }

    /** The group's operation chain, oldest first, as the bytes to store. */
    public synchronized List<byte[]> chain(ConversationId group) {
        GroupLog log = logs.get(group);
        return log == null ? List.of() : log.ops().stream().map(SignedGroupOp::encoded).toList();
    }

    /**
     * Takes back a stored chain at start.
     *
     * @throws GroupOpRejectedException if the stored chain no longer checks out
     * @throws PeerFaultException if an operation no longer decodes
     */
    public synchronized GroupState restore(List<byte[]> chain) throws GroupOpRejectedException, PeerFaultException {
        List<SignedGroupOp> ops = new ArrayList<>();
        for (byte[] raw : chain) {
            ops.add(GroupOpCodec.decode(raw));
        }
        GroupLog log = GroupLog.replay(ops);
        logs.put(log.head().group(), log);
        return log.head();
    }

    /**
     * Creates a group named {@code name} with this identity as admin and {@code members} invited.
     *
     * @throws IllegalArgumentException for a bad name or member list, in words for the user
     */
    public synchronized GroupUpdate create(String name, List<UserId> members, long nowMillis) {
        if (members.contains(self)) {
            throw new IllegalArgumentException("you are in every group you create; name only the others");
        }
        ConversationId group = ConversationId.random();
        SignedGroupOp create = SignedGroupOp.sign(new GroupOp(group, new byte[0], self, nowMillis,
                new GroupAction.Create(name, members)), identity);
        GroupLog log;
        try {
            log = GroupLog.start(create);
        } catch (GroupOpRejectedException e) {
            throw new IllegalStateException("our own create was refused: " + e.getMessage(), e);
        }
        logs.put(group, log);
        Updates out = new Updates();
        for (UserId member : members) {
            out.deliveries.add(new GroupDelivery(member, new ChatContent.GroupOps(group, List.of(create.encoded()))));
        }
        if (siblingCopies) {
            out.deliveries.add(new GroupDelivery(self, new ChatContent.GroupOps(group, List.of(create.encoded()))));
        }
        out.changed.add(log.head());
        return out.build();
    }

    /**
     * Issues an operation of this identity on the group's current head and applies it.
     *
     * @throws GroupOpRejectedException if the rules refuse it (not an admin, not a member, ...)
     * @throws IllegalArgumentException if this identity knows no such group
     */
    public synchronized GroupUpdate issue(ConversationId group, GroupAction action, long nowMillis)
            throws GroupOpRejectedException {
        Updates out = new Updates();
        issue(log(group), action, nowMillis, out);
        return out.build();
    }

    private void issue(GroupLog log, GroupAction action, long nowMillis, Updates out) throws GroupOpRejectedException {
        GroupState before = log.head();
        SignedGroupOp signed = SignedGroupOp.sign(new GroupOp(before.group(), before.head(), self, nowMillis, action),
                identity);
        GroupState after = log.apply(signed).state();
        Set<UserId> told = new LinkedHashSet<>(before.members().keySet());
        told.addAll(after.members().keySet());
        told.remove(self);
        for (UserId member : told) {
            if (!before.isMember(member)) {
                // A new member verifies the whole history, from the create on.
                sendChain(log, member, out);
            } else {
                out.deliveries.add(new GroupDelivery(member, new ChatContent.GroupOps(before.group(),
                        List.of(signed.encoded()))));
            }
        }
        if (siblingCopies) {
            out.deliveries.add(new GroupDelivery(self, new ChatContent.GroupOps(before.group(),
                    List.of(signed.encoded()))));
        }
        out.changed.add(after);
    }

    private void sendChain(GroupLog log, UserId member, Updates out) {
        List<SignedGroupOp> ops = log.ops();
        for (int from = 0; from < ops.size(); from += ChatContent.MAX_GROUP_OPS) {
            List<byte[]> run = ops.subList(from, Math.min(ops.size(), from + ChatContent.MAX_GROUP_OPS)).stream()
                    .map(SignedGroupOp::encoded).toList();
            out.deliveries.add(new GroupDelivery(member, new ChatContent.GroupOps(log.head().group(), run)));
        }
    }

    /**
     * Encrypts a text for the group's current epoch: deliveries to every other member (preceded,
     * the first time in this epoch, by this device's sender key), and the text to show here.
     *
     * @throws IllegalArgumentException if this identity is not a member or knows no such group
     */
    public synchronized GroupUpdate send(ConversationId group, MessageId id, HlcTimestamp timestamp, String text) {
        return send(group, id, timestamp, text, Set.of());
    }

    /**
     * Like {@link #send(ConversationId, MessageId, HlcTimestamp, String)}, for a sender that cannot
     * reach {@code unreachable} members now: they still get their copies (from the durable outbox,
     * later), and up to {@link #RELAYERS} members it can reach are asked to pass the ciphertext on
     * to them at once.
     */
    public synchronized GroupUpdate send(ConversationId group, MessageId id, HlcTimestamp timestamp, String text,
            Set<UserId> unreachable) {
        GroupState state = log(group).head();
        if (!state.isMember(self)) {
            throw new IllegalArgumentException("you are no longer a member of " + state.name());
        }
        if (text.isEmpty() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ChatContent.MAX_GROUP_TEXT_BYTES) {
            throw new IllegalArgumentException("a group message has 1 to " + ChatContent.MAX_GROUP_TEXT_BYTES
                    + " UTF-8 bytes: split it into shorter messages");
        }
        UUID epoch = state.distributionId();
        Updates out = new Updates();
        List<UserId> others = state.members().keySet().stream().filter(m -> !m.equals(self)).toList();
        List<UserId> keyTo = new ArrayList<>(others);
        if (siblingCopies) {
            keyTo.add(self);
        }
        if (distributed.computeIfAbsent(group, g -> new HashSet<>()).add(epoch)) {
            byte[] distribution = keys.distribution(epoch);
            for (UserId member : keyTo) {
                out.deliveries.add(new GroupDelivery(member, new ChatContent.GroupMessage(group, self, device,
                        ChatContent.GroupPayloadKind.SENDER_KEY, distribution)));
            }
        }
        ChatEnvelope envelope = new ChatEnvelope(id, timestamp, group, new ChatContent.Text(text));
        byte[] ciphertext = keys.encrypt(epoch, envelope);
        List<UserId> relayTo = others.stream().filter(unreachable::contains).toList();
        int relayers = 0;
        for (UserId member : others) {
            boolean relayer = !relayTo.isEmpty() && relayers < RELAYERS && !unreachable.contains(member);
            if (relayer) {
                relayers++;
            }
            out.deliveries.add(new GroupDelivery(member, new ChatContent.GroupMessage(group, self, device,
                    ChatContent.GroupPayloadKind.CIPHERTEXT, ciphertext, relayer ? relayTo : List.of())));
        }
        if (siblingCopies) {
            out.deliveries.add(new GroupDelivery(self, new ChatContent.GroupMessage(group, self, device,
                    ChatContent.GroupPayloadKind.CIPHERTEXT, ciphertext)));
        }
        remember(group, id);
        out.texts.add(new GroupText(group, self, id, timestamp, text));
        return out.build();
    }

    /** Applies operations a member (or a new group's creator) sent; the node checked it is a contact. */
    public synchronized GroupUpdate receive(ChatAddress from, ChatContent.GroupOps content) {
        Updates out = new Updates();
        ConversationId group = content.group();
        GroupLog log = logs.get(group);
        boolean fresh = log == null;
        boolean changed = false;
        for (byte[] raw : content.ops()) {
            SignedGroupOp signed;
            try {
                signed = GroupOpCodec.decode(raw);
            } catch (PeerFaultException e) {
                out.refusedMessages.add("a group operation from " + from + " does not decode: " + e.getMessage());
                continue;
            }
            if (!signed.op().group().equals(group)) {
                out.refusedMessages.add("a group operation from " + from + " names another group than its envelope");
                continue;
            }
            try {
                if (log == null) {
                    log = GroupLog.start(signed);
                    changed = true;
                    continue;
                }
                GroupLog.Applied applied = log.apply(signed);
                changed = true;
                for (SignedGroupOp dropped : applied.dropped()) {
                    if (dropped.op().author().equals(self)) {
                        rebase(log, dropped, out);
                    }
                }
            } catch (GroupOpRejectedException e) {
                out.refusedOps.add(e);
            }
        }
        if (log != null && fresh) {
            if (log.head().isMember(self)) {
                logs.put(group, log);
            } else {
                out.refusedMessages.add("a group history from " + from + " does not include this identity");
                return out.build();
            }
        }
        if (changed) {
            out.changed.add(log.head());
            retryPending(out);
        }
        return out.build();
    }

    /** Issues again, on the new head, an operation of ours that lost a fork, if it still applies. */
    private void rebase(GroupLog log, SignedGroupOp dropped, Updates out) {
        try {
            issue(log, dropped.op().action(), dropped.op().issuedMillis(), out);
        } catch (GroupOpRejectedException e) {
            out.refusedOps.add(e);
        }
    }

    /** Takes a sender key or a ciphertext that {@code from} sent over its pairwise session. */
    public synchronized GroupUpdate receive(ChatAddress from, ChatContent.GroupMessage message) {
        Updates out = new Updates();
        if (handle(from, message, out) && message.kind() == ChatContent.GroupPayloadKind.SENDER_KEY) {
            retryPending(out);
        }
        return out.build();
    }

    /**
     * Deliveries that pass a received ciphertext on to members its author may not have reached:
     * only to current members, never back to the author or to this identity.
     */
    public synchronized List<GroupDelivery> relay(ChatContent.GroupMessage message, Collection<UserId> to) {
        if (message.kind() != ChatContent.GroupPayloadKind.CIPHERTEXT) {
            throw new IllegalArgumentException("only ciphertexts are relayed; a sender key comes from its owner");
        }
        GroupState state = log(message.group()).head();
        ChatContent.GroupMessage passedOn = message.withoutRelays();
        return to.stream().distinct()
                .filter(u -> state.isMember(u) && !u.equals(self) && !u.equals(message.origin()))
                .map(u -> new GroupDelivery(u, passedOn)).toList();
    }

    /** Handles one group message; true if it was used (not refused, not left waiting). */
    private boolean handle(ChatAddress from, ChatContent.GroupMessage message, Updates out) {
        if (message.kind() == ChatContent.GroupPayloadKind.DELIVERED) {
            // Receipts are the node's to keep (per member, per message); they change no group state.
            out.refusedMessages.add("a group receipt is not for the engine");
            return false;
        }
        ChatAddress origin = new ChatAddress(message.origin(), message.originDevice());
        GroupLog log = logs.get(message.group());
        UUID epoch;
        try {
            epoch = message.kind() == ChatContent.GroupPayloadKind.SENDER_KEY
                    ? GroupSenderKeys.distributionIdOf(message.payload())
                    : GroupSenderKeys.distributionIdOfCiphertext(message.payload());
        } catch (InvalidChatMessageException e) {
            out.refusedMessages.add(e.getMessage());
            return false;
        }
        Optional<GroupState> epochState = log == null ? Optional.empty() : log.epoch(epoch);
        if (epochState.isEmpty()) {
            // The operation starting that epoch has not arrived yet (or never will: then it ages out).
            wait(from, message, out);
            return false;
        }
        if (!epochState.get().isMember(message.origin())) {
            out.refusedMessages.add(message.origin() + " was not a member of the group in that epoch");
            return false;
        }
        switch (message.kind()) {
            case SENDER_KEY -> {
                if (!from.equals(origin)) {
                    out.refusedMessages.add("a sender key of " + origin + " came from " + from
                            + "; a key is only taken from its owner");
                    return false;
                }
                if (!epochState.get().isMember(self)) {
                    out.refusedMessages.add("a sender key for an epoch this identity is not a member of");
                    return false;
                }
                try {
                    keys.process(origin, message.payload());
                    return true;
                } catch (InvalidChatMessageException e) {
                    out.refusedMessages.add(e.getMessage());
                    return false;
                }
            }
            case CIPHERTEXT -> {
                GroupState now = log.head();
                if (!epochState.get().equals(now) && !now.isMember(message.origin())) {
                    out.refusedMessages.add("a message of an earlier epoch from " + origin
                            + ", who is no longer a member");
                    return false;
                }
                return decrypt(from, origin, message, out);
            }
        }
        return false;
    }

    private boolean decrypt(ChatAddress from, ChatAddress origin, ChatContent.GroupMessage message, Updates out) {
        ChatEnvelope envelope;
        try {
            envelope = keys.decrypt(origin, message.payload());
        } catch (NoSenderKeyException e) {
            wait(from, message, out);
            return false;
        } catch (ReplayedMessageException e) {
            // The same ciphertext by another path (a relay): already shown.
            return true;
        } catch (ChatCryptoException e) {
            out.refusedMessages.add(e.getMessage());
            return false;
        }
        if (!envelope.conversation().equals(message.group())) {
            out.refusedMessages.add("a group message from " + origin + " names another conversation inside");
            return false;
        }
        if (!(envelope.content() instanceof ChatContent.Text text)) {
            out.refusedMessages.add("a group message from " + origin + " holds something other than text");
            return false;
        }
        if (remember(message.group(), envelope.id())) {
            out.texts.add(new GroupText(message.group(), message.origin(), envelope.id(), envelope.timestamp(),
                    text.text()));
            // A relay request is honoured only from the author itself, and never passed on again.
            if (!message.relayTo().isEmpty() && from.equals(origin)) {
                out.deliveries.addAll(relay(message, message.relayTo()));
            }
        }
        return true;
    }

    private void wait(ChatAddress from, ChatContent.GroupMessage message, Updates out) {
        pendingVersion++;
        if (pending.size() >= MAX_PENDING) {
            Waiting dropped = pending.removeFirst();
            out.refusedMessages.add("a group message from " + dropped.from() + " waited too long for its key and"
                    + " was dropped");
        }
        pending.addLast(new Waiting(from, message));
    }

    /** Tries waiting messages again until a round uses none of them. */
    private void retryPending(Updates out) {
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            List<Waiting> round = new ArrayList<>(pending);
            pending.clear();
            pendingVersion++;
            for (Waiting p : round) {
                boolean used = handle(p.from(), p.message(), out);
                // Only a newly taken sender key can unlock other waiting messages.
                progress |= used && p.message().kind() == ChatContent.GroupPayloadKind.SENDER_KEY;
            }
        }
    }

    /** Remembers a message id; false if it was seen before. */
    private boolean remember(ConversationId group, MessageId id) {
        SequencedSet<MessageId> ids = seen.computeIfAbsent(group, g -> new LinkedHashSet<>());
        if (!ids.add(id)) {
            return false;
        }
        if (ids.size() > MAX_REMEMBERED_IDS) {
            ids.removeFirst();
        }
        return true;
    }

    private GroupLog log(ConversationId group) {
        GroupLog log = logs.get(group);
        if (log == null) {
            throw new IllegalArgumentException("no group " + group + " here");
        }
        return log;
    }

    /** Collects one step's results. */
    private static final class Updates {
        final List<GroupDelivery> deliveries = new ArrayList<>();
        final List<GroupText> texts = new ArrayList<>();
        final List<GroupState> changed = new ArrayList<>();
        final List<GroupOpRejectedException> refusedOps = new ArrayList<>();
        final List<String> refusedMessages = new ArrayList<>();

        GroupUpdate build() {
            return new GroupUpdate(deliveries, texts, changed, refusedOps, refusedMessages);
        }
    }
}
