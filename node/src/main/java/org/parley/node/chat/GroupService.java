package org.parley.node.chat;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.chat.group.GroupAction;
import org.parley.chat.group.GroupDelivery;
import org.parley.chat.group.GroupEngine;
import org.parley.chat.group.GroupOpRejectedException;
import org.parley.chat.group.GroupState;
import org.parley.chat.group.GroupText;
import org.parley.chat.group.GroupUpdate;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.ChatAddress;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.GroupStore.Membership;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a user does with group chats, and what the node does with group traffic: create a group
 * from accepted contacts, add, remove, leave, rename, promote, answer an invitation, send and
 * read; and apply the operations, sender keys and messages that members send. The rules and the
 * crypto are each identity's {@link GroupEngine}'s; this service keeps chains and messages in
 * {@link GroupStore}, queues deliveries in the durable outbox, and publishes events. A group is
 * named by its id (32 hex digits) or its name. Deliveries go to every member's devices, contact or
 * not: a member who is no contact of this identity gets its group envelopes over a pairwise session
 * started for the group's sake ({@link CoMembers}); a blocked contact gets nothing. A message to
 * members this node is not connected to also asks two connected members to relay it to them.
 *
 * <p>Lock order (the same as the inbox's): an identity's session lock, then the database, then its
 * {@link GroupEngine}'s monitor. Every step that changes an engine runs holding the identity's
 * session lock ({@link #locked}), since the engine encrypts and takes sender keys under that lock
 * and the inbox hands frames here holding it and the database; the engine's monitor is then only
 * ever taken last, and no thread holding it waits for another lock. Thread safe.
 */
public final class GroupService {

    private static final Logger log = LoggerFactory.getLogger(GroupService.class);

    private final ChatRuntime runtime;
    private final ChatService chat;
    private final GroupStore store;
    private final Runnable wakeOutbox;
    private final Map<Long, GroupEngine> engines = new ConcurrentHashMap<>();
    private final CoMembers coMembers;
    private final java.util.function.Predicate<LocalIdentity> siblings;
    /** Per identity row, the engine's {@link GroupEngine#waitingVersion()} last written to the store. */
    private final Map<Long, Long> savedWaiting = new ConcurrentHashMap<>();
    /** Whether this node has a connection to the contact's last known device right now. */
    private final java.util.function.Predicate<Contact> connected;

    GroupService(ChatRuntime runtime, ChatService chat, GroupStore store, Runnable wakeOutbox,
            java.util.function.Predicate<Contact> connected) {
        this(runtime, chat, store, wakeOutbox, connected, null, identity -> false);
    }

    /**
     * @param coMembers routes group envelopes to members who are not contacts; null to send to contacts only
     * @param siblings whether an identity has other devices (on its signed device list), which then
     *     get copies of its group operations, sender keys and messages
     */
    GroupService(ChatRuntime runtime, ChatService chat, GroupStore store, Runnable wakeOutbox,
            java.util.function.Predicate<Contact> connected, CoMembers coMembers,
            java.util.function.Predicate<LocalIdentity> siblings) {
        this.siblings = siblings;
        this.coMembers = coMembers;
        if (coMembers != null) {
            coMembers.use(this::shares);
        }
        this.connected = connected;
        this.runtime = runtime;
        this.chat = chat;
        this.store = store;
        this.wakeOutbox = wakeOutbox;
    }

    /** A group as the user sees it: its state and what they made of the invitation. */
    public record GroupView(GroupState state, String membership, boolean member, boolean admin) {
        public String id() {
            return state.group().toString();
        }
    }

    /** The groups of an identity, in the order they were first known. */
    public List<GroupView> groups(Optional<String> identityRef) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupEngine engine = engine(identity);
        return engine.groups().stream().map(s -> view(identity, s)).toList();
    }

    /** The groups that invited this identity and wait for accept or decline. */
    public List<GroupView> invitations(Optional<String> identityRef) {
        return groups(identityRef).stream().filter(g -> g.membership().equals(Membership.INVITED.wireName())
                && g.member()).toList();
    }

    public GroupView find(Optional<String> identityRef, String reference) {
        LocalIdentity identity = chat.identity(identityRef);
        return view(identity, resolve(identity, reference));
    }

    /** Whether {@code reference} names a group of the identity (for routes shared with contacts). */
    public boolean names(Optional<String> identityRef, String reference) {
        // Asked for every text sent through the API, mostly with a contact's name: answered
        // without building a view or throwing. Several groups of that name count: the group route
        // then says to give an id.
        LocalIdentity identity;
        try {
            identity = chat.identity(identityRef);
        } catch (ServiceException e) {
            return false;
        }
        String ref = stripped(reference);
        return !ref.isEmpty() && !matching(identity, ref).isEmpty();
    }

    /** Creates a group of accepted contacts with this identity as its admin. */
    public GroupView create(Optional<String> identityRef, String name, List<String> memberRefs) {
        LocalIdentity identity = chat.identity(identityRef);
        if (memberRefs.isEmpty()) {
            throw ServiceException.badInput("name at least one member: a contact's user ID or the name you gave them");
        }
        List<UserId> members = new ArrayList<>();
        for (String ref : memberRefs) {
            UserId user = acceptedContact(identity, ref);
            if (!members.contains(user)) {
                members.add(user);
            }
        }
        GroupEngine engine = engine(identity);
        GroupState state = locked(identity, () -> {
            GroupUpdate update;
            try {
                update = engine.create(name == null ? "" : name.strip(), members, runtime.clock.millis());
            } catch (IllegalArgumentException e) {
                throw ServiceException.badInput(e.getMessage());
            }
            GroupState created = update.changed().getFirst();
            store(() -> store.setMembership(identity.rowId(), created.group(), Membership.JOINED));
            apply(identity, update);
            return created;
        });
        return view(identity, state);
    }

    public GroupView add(Optional<String> identityRef, String group, String member) {
        LocalIdentity identity = chat.identity(identityRef);
        return issue(identity, group, new GroupAction.Add(acceptedContact(identity, member)));
    }

    public GroupView remove(Optional<String> identityRef, String group, String member) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        UserId user = memberOf(identity, state, member);
        return issue(identity, group, new GroupAction.Remove(user));
    }

    public GroupView promote(Optional<String> identityRef, String group, String member) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        return issue(identity, group, new GroupAction.Promote(memberOf(identity, state, member)));
    }

    public GroupView rename(Optional<String> identityRef, String group, String name) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupAction.Rename rename;
        try {
            rename = new GroupAction.Rename(name == null ? "" : name.strip());
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        return issue(identity, group, rename);
    }

    public GroupView leave(Optional<String> identityRef, String group) {
        LocalIdentity identity = chat.identity(identityRef);
        return issue(identity, group, new GroupAction.Leave());
    }

    /** Takes up an invitation: the group's messages show from now on. */
    public GroupView accept(Optional<String> identityRef, String group) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = invited(identity, group);
        store(() -> store.setMembership(identity.rowId(), state.group(), Membership.JOINED));
        publishChanged(identity, state);
        return view(identity, state);
    }

    /** Declines an invitation: leaves the group (its members are told) and forgets nothing else. */
    public GroupView decline(Optional<String> identityRef, String group) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = invited(identity, group);
        store(() -> store.setMembership(identity.rowId(), state.group(), Membership.DECLINED));
        return issue(identity, state.group().toString(), new GroupAction.Leave());
    }

    /** Sends a text to the group's members. */
    public GroupText send(Optional<String> identityRef, String group, String text) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        if (!state.isMember(identity.userId())) {
            throw ServiceException.badInput("you are no longer a member of " + state.name());
        }
        if (membership(identity, state).equals(Membership.INVITED.wireName())) {
            throw ServiceException.badInput("accept the invitation first: parley accept " + state.name());
        }
        if (text == null || text.isEmpty()) {
            throw ServiceException.badInput("the message is empty: give the text to send");
        }
        java.util.Set<UserId> unreachable = unreachable(identity, state);
        return locked(identity, () -> {
            GroupUpdate update;
            try {
                update = engine(identity).send(state.group(), MessageId.next(), runtime.hlc.now(), text,
                        unreachable);
            } catch (IllegalArgumentException e) {
                throw ServiceException.badInput(e.getMessage());
            }
            apply(identity, update);
            return update.texts().getFirst();
        });
    }

    /**
     * The members this node has no connection to now: their copies wait in the outbox, and two
     * members it is connected to are asked to relay. Empty when it is connected to none (then no
     * one could be asked).
     */
    private java.util.Set<UserId> unreachable(LocalIdentity identity, GroupState state) {
        java.util.Set<UserId> out = new java.util.HashSet<>();
        boolean any = false;
        for (UserId member : state.members().keySet()) {
            if (member.equals(identity.userId())) {
                continue;
            }
            Optional<Contact> c = runtime.contact(identity.rowId(), member);
            if (c.isEmpty() && coMembers != null) {
                // A co-member who is no contact: connected if the device last reached is.
                c = Optional.of(coMembers.standIn(identity, member));
            }
            if (c.isPresent() && c.get().state() == ContactState.ACCEPTED && connected.test(c.get())) {
                any = true;
            } else {
                out.add(member);
            }
        }
        return any ? out : java.util.Set.of();
    }

    /** The latest {@code limit} messages of a group, oldest first, in the order every member shows. */
    public List<GroupText> history(Optional<String> identityRef, String group, int limit) {
        if (limit < 1 || limit > ChatService.MAX_HISTORY) {
            throw ServiceException.badInput("the limit must be 1.." + ChatService.MAX_HISTORY + ", got " + limit);
        }
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        try {
            List<GroupText> shown = store.history(identity.rowId(), state.group(), limit);
            if (!shown.isEmpty()) {
                // Shown to the user: what they read is no longer unread (as a contact's history does).
                store.markReadUpTo(identity.rowId(), state.group(), shown.getLast().id());
            }
            return shown;
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The latest message of a group, for the chat list; unlike {@link #history} it does not count
     * as shown, so the message stays unread.
     */
    public Optional<GroupText> latest(Optional<String> identityRef, String group) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        try {
            List<GroupText> last = store.history(identity.rowId(), state.group(), 1);
            return last.isEmpty() ? Optional.empty() : Optional.of(last.getFirst());
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unread (received, not yet shown) messages per group id, of the identity {@code identityRef} names. */
    public Map<String, Integer> unreadCounts(Optional<String> identityRef) {
        LocalIdentity identity = chat.identity(identityRef);
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        try {
            store.unreadCounts(identity.rowId()).forEach((group, count) -> out.put(group.toString(), count));
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Marks a group's messages read up to and including message {@code upTo} (hex).
     *
     * @return how many were unread
     * @throws ServiceException BAD_INPUT for a malformed id, NOT_FOUND if the group has no such message
     */
    public int markReadUpTo(Optional<String> identityRef, String group, String upTo) {
        MessageId cursor = ChatService.messageId(upTo, "upTo");
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        try {
            return store.markReadUpTo(identity.rowId(), state.group(), cursor).orElseThrow(
                    () -> ServiceException.notFound("no message " + upTo + " in " + state.name()));
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies group traffic from an accepted contact's or a co-member's device (the inbox checked
     * consent and decrypted it, holding the session lock and the database).
     */
    void receive(LocalIdentity identity, ChatAddress from, ChatContent content) {
        locked(identity, () -> {
            receiveLocked(identity, from, content);
            return null;
        });
    }

    private void receiveLocked(LocalIdentity identity, ChatAddress from, ChatContent content) {
        GroupEngine engine = engine(identity);
        if (content instanceof ChatContent.GroupMessage m && m.kind() == ChatContent.GroupPayloadKind.DELIVERED) {
            delivered(identity, engine, from, m);
            return;
        }
        GroupUpdate update = switch (content) {
            case ChatContent.GroupOps ops -> {
                boolean known = engine.state(ops.group()).isPresent();
                GroupUpdate u = engine.receive(from, ops);
                if (!known && engine.state(ops.group()).isPresent()) {
                    // A group another device of this user made or joined is joined here too.
                    Membership first = from.user().equals(identity.userId()) ? Membership.JOINED : Membership.INVITED;
                    store(() -> store.setMembership(identity.rowId(), ops.group(), first));
                }
                yield u;
            }
            case ChatContent.GroupMessage message -> engine.receive(from, message);
            default -> throw new IllegalArgumentException("not group traffic");
        };
        apply(identity, update);
    }

    private GroupView issue(LocalIdentity identity, String group, GroupAction action) {
        GroupState state = resolve(identity, group);
        locked(identity, () -> {
            GroupUpdate update;
            try {
                update = engine(identity).issue(state.group(), action, runtime.clock.millis());
            } catch (GroupOpRejectedException e) {
                throw ServiceException.badInput(userMessage(state, e));
            }
            apply(identity, update);
            return null;
        });
        return view(identity, engine(identity).state(state.group()).orElseThrow());
    }

    private String userMessage(GroupState state, GroupOpRejectedException e) {
        return switch (e.reason()) {
            case NOT_ADMIN -> "only an admin of " + state.name() + " can do that; ask one of its admins";
            case NOT_MEMBER -> "you are no longer a member of " + state.name();
            default -> e.getMessage();
        };
    }

    /** Stores what changed, keeps texts, queues deliveries, publishes events. */
    private void apply(LocalIdentity identity, GroupUpdate update) {
        GroupEngine engine = engine(identity);
        for (GroupState changed : update.changed()) {
            // Under the session lock (see locked), so a slower thread never stores an older chain over a newer one.
            List<byte[]> chain = engine.chain(changed.group());
            store(() -> store.saveChain(identity.rowId(), changed.group(), chain));
            publishChanged(identity, engine.state(changed.group()).orElse(changed));
        }
        saveWaiting(identity, engine);
        // A delivered receipt to each author of the members' messages kept now, one per author.
        Map<UserId, List<MessageId>> toAcknowledge = new java.util.LinkedHashMap<>();
        for (GroupText text : update.texts()) {
            boolean outgoing = text.sender().equals(identity.userId());
            boolean kept = storeBoolean(() -> store.addMessage(identity.rowId(), text, outgoing));
            if (kept) {
                kept(identity, text, outgoing);
                if (!outgoing) {
                    toAcknowledge.computeIfAbsent(text.sender(), s -> new ArrayList<>()).add(text.id());
                }
            }
        }
        List<GroupDelivery> deliveries = new ArrayList<>(update.deliveries());
        toAcknowledge.forEach((author, ids) -> deliveries.addAll(receipts(identity, update, author, ids)));
        for (GroupOpRejectedException refused : update.refusedOps()) {
            log.info("a group operation was refused ({}): {}", refused.reason(), refused.getMessage());
        }
        for (String refused : update.refusedMessages()) {
            log.debug("group traffic refused: {}", refused);
        }
        boolean queued = false;
        boolean hasSiblings = deliveries.stream().anyMatch(d -> d.to().equals(identity.userId()))
                && siblings.test(identity);
        for (GroupDelivery d : deliveries) {
            if (d.to().equals(identity.userId())) {
                // A copy for this user's other devices, if it has any.
                if (!hasSiblings) {
                    continue;
                }
            } else if (!acceptedContact(identity, d.to())
                    && (coMembers == null || !coMembers.mayCarry(identity.rowId(), d.to(), d.content()))) {
                log.debug("group delivery to {} skipped: neither an accepted contact nor a co-member", d.to());
                continue;
            }
            ConversationId group = switch (d.content()) {
                case ChatContent.GroupOps ops -> ops.group();
                case ChatContent.GroupMessage m -> m.group();
                default -> throw new IllegalStateException("a group delivery carries group content");
            };
            ChatEnvelope envelope = new ChatEnvelope(MessageId.next(), runtime.hlc.now(), group, d.content());
            store(() -> runtime.messages.queue(identity.rowId(), d.to(), envelope, runtime.clock.millis()));
            queued = true;
        }
        if (queued) {
            wakeOutbox.run();
        }
    }

    private boolean acceptedContact(LocalIdentity identity, UserId user) {
        Optional<Contact> contact = runtime.contact(identity.rowId(), user);
        return contact.isPresent() && contact.get().state() == ContactState.ACCEPTED;
    }

    /** Receipts to {@code author} for {@code ids}, in runs of at most {@link ChatContent#MAX_RECEIPT_IDS}. */
    private List<GroupDelivery> receipts(LocalIdentity identity, GroupUpdate update, UserId author,
            List<MessageId> ids) {
        ConversationId group = update.texts().stream().filter(t -> t.sender().equals(author)).findFirst()
                .orElseThrow().group();
        int device = runtime.chat(identity).sessions().localDevice();
        List<GroupDelivery> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += ChatContent.MAX_RECEIPT_IDS) {
            List<MessageId> run = ids.subList(from, Math.min(ids.size(), from + ChatContent.MAX_RECEIPT_IDS));
            java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(run.size() * MessageId.BYTES);
            run.forEach(id -> payload.put(id.bytes()));
            out.add(new GroupDelivery(author, new ChatContent.GroupMessage(group, identity.userId(), device,
                    ChatContent.GroupPayloadKind.DELIVERED, payload.array())));
        }
        return out;
    }

    /**
     * Keeps a member's delivered receipt for our messages: only from the member itself (a receipt is
     * never relayed) and only for a group it shares with us; ids of messages not ours are ignored.
     */
    private void delivered(LocalIdentity identity, GroupEngine engine, ChatAddress from,
            ChatContent.GroupMessage receipt) {
        if (!from.user().equals(receipt.origin()) || !engine.shares(receipt.group(), from.user())) {
            log.debug("a group receipt from {} for {} ignored: not its own, or no shared group", from, receipt.group());
            return;
        }
        byte[] payload = receipt.payload();
        for (int at = 0; at + MessageId.BYTES <= payload.length; at += MessageId.BYTES) {
            MessageId id = new MessageId(java.util.Arrays.copyOfRange(payload, at, at + MessageId.BYTES));
            if (storeBoolean(() -> store.addDelivered(identity.rowId(), receipt.group(), id, from.user()))) {
                runtime.publish(new NodeEvent.GroupDelivered(identity.userId().text(), receipt.group().toString(),
                        id.toString(), from.user().text()));
            }
        }
    }

    /** For each of our messages among {@code texts}, the members that told they hold it. */
    public Map<MessageId, List<UserId>> deliveredTo(Optional<String> identityRef, String group, List<GroupText> texts) {
        LocalIdentity identity = chat.identity(identityRef);
        GroupState state = resolve(identity, group);
        List<MessageId> ours = texts.stream().filter(t -> t.sender().equals(identity.userId())).map(GroupText::id)
                .toList();
        try {
            return store.deliveredTo(identity.rowId(), state.group(), ours);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells of a group message kept for the first time (ours or a member's): the one place to hook it up. */
    private void kept(LocalIdentity identity, GroupText text, boolean outgoing) {
        runtime.publish(new NodeEvent.GroupMessage(identity.userId().text(), text.group().toString(),
                text.sender().text(), text.id().toString(), outgoing, text.timestamp().physicalMillis(),
                text.timestamp().counter(), text.text()));
    }

    /**
     * Writes the engine's waiting messages when they changed, in the caller's transaction (the
     * inbox's, so a frame is acked only once what waits of it is on disk).
     */
    private void saveWaiting(LocalIdentity identity, GroupEngine engine) {
        long version = engine.waitingVersion();
        Long saved = savedWaiting.get(identity.rowId());
        if (saved == null || saved != version) {
            store(() -> store.saveWaiting(identity.rowId(), engine.waiting()));
            savedWaiting.put(identity.rowId(), version);
        }
    }

    private void publishChanged(LocalIdentity identity, GroupState state) {
        runtime.publish(new NodeEvent.GroupChanged(identity.userId().text(), state.group().toString(), state.name(),
                state.epoch(), state.members().size(), membership(identity, state)));
    }

    private GroupView view(LocalIdentity identity, GroupState state) {
        return new GroupView(state, membership(identity, state), state.isMember(identity.userId()),
                state.isAdmin(identity.userId()));
    }

    private String membership(LocalIdentity identity, GroupState state) {
        try {
            return store.membership(identity.rowId(), state.group()).orElse(Membership.JOINED).wireName();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GroupState invited(LocalIdentity identity, String group) {
        GroupState state = resolve(identity, group);
        if (!membership(identity, state).equals(Membership.INVITED.wireName())) {
            throw ServiceException.badInput("there is no pending invitation to " + state.name() + " (you "
                    + membership(identity, state) + " it)");
        }
        return state;
    }

    /** The group whose id (32 hex digits) {@code ref} is, or else the groups called {@code ref}. */
    private List<GroupState> matching(LocalIdentity identity, String ref) {
        List<GroupState> all = engine(identity).groups();
        if (ref.length() == 2 * ConversationId.BYTES && HexFormat.isHexDigit(ref.charAt(0))) {
            try {
                ConversationId id = new ConversationId(HexFormat.of().parseHex(ref.toLowerCase(java.util.Locale.ROOT)));
                Optional<GroupState> byId = all.stream().filter(s -> s.group().equals(id)).findFirst();
                if (byId.isPresent()) {
                    return List.of(byId.get());
                }
            } catch (IllegalArgumentException notHex) {
                // Not an id: a name, then.
            }
        }
        return all.stream().filter(s -> s.name().equals(ref)).toList();
    }

    /** A group reference as the user gave it, without surrounding blanks; empty if none was given. */
    private static String stripped(String reference) {
        return reference == null ? "" : reference.strip();
    }

    /** The group {@code reference} names: its id (32 hex digits) or its name. */
    private GroupState resolve(LocalIdentity identity, String reference) {
        String ref = stripped(reference);
        if (ref.isEmpty()) {
            throw ServiceException.badInput("name a group: its id or its name (see parley groups)");
        }
        List<GroupState> named = matching(identity, ref);
        if (named.size() > 1) {
            throw ServiceException.badInput(named.size() + " groups are called '" + ref
                    + "': give the group's id instead (see parley groups)");
        }
        return named.stream().findFirst().orElseThrow(() -> ServiceException.notFound("no group is called '" + ref
                + "': see parley groups for yours"));
    }

    private UserId acceptedContact(LocalIdentity identity, String reference) {
        Contact c = chat.contact(identity, reference);
        if (c.state() != ContactState.ACCEPTED) {
            throw ServiceException.badInput(c.label() + " is not an accepted contact; only contacts can be put in a"
                    + " group");
        }
        return c.userId();
    }

    /** A member named by contact reference or user ID. */
    private UserId memberOf(LocalIdentity identity, GroupState state, String reference) {
        UserId user;
        try {
            user = chat.contact(identity, reference).userId();
        } catch (ServiceException e) {
            try {
                user = UserId.parse(reference == null ? "" : reference);
            } catch (org.parley.chat.identity.InvalidUserIdException notAnId) {
                throw e;
            }
        }
        if (!state.isMember(user)) {
            throw ServiceException.badInput(reference + " is not a member of " + state.name());
        }
        return user;
    }

    /**
     * Whether {@code user} shares {@code group} with the local identity of row {@code identityRow}
     * (for {@link CoMembers}).
     */
    boolean shares(long identityRow, ConversationId group, UserId user) {
        return runtime.identities.all().stream().filter(i -> i.rowId() == identityRow).findFirst()
                .map(identity -> engine(identity).shares(group, user)).orElse(false);
    }

    /**
     * Runs a step that changes the identity's engine holding the identity's session lock, the first
     * lock of the order in this class's comment (reentrant: the inbox already holds it).
     */
    private <T> T locked(LocalIdentity identity, java.util.function.Supplier<T> step) {
        try {
            return runtime.chat(identity).sessions().exclusively(step::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a group step failed", e);
        }
    }

    /**
     * The engine of {@code identity}, with its stored chains, made on first use. The chains are read
     * outside the map's own locking: a thread inside a database transaction may ask for the same
     * engine meanwhile, and must not wait on a map bin held by a thread that waits for the database.
     */
    private GroupEngine engine(LocalIdentity identity) {
        GroupEngine known = engines.get(identity.rowId());
        if (known != null) {
            return known;
        }
        GroupEngine engine = new GroupEngine(runtime.chat(identity).sessions());
        engine.copyToSiblings(true);
        try {
            for (List<byte[]> chain : store.chains(identity.rowId()).values()) {
                try {
                    engine.restore(chain);
                } catch (GroupOpRejectedException | org.parley.libp2p.core.PeerFaultException e) {
                    log.warn("a stored group history no longer checks out and is ignored: {}", e.getMessage());
                }
            }
            // Messages that waited for their sender key when the node stopped wait on.
            engine.restoreWaiting(store.waiting(identity.rowId()));
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
        GroupEngine raced = engines.putIfAbsent(identity.rowId(), engine);
        if (raced != null) {
            return raced;
        }
        savedWaiting.putIfAbsent(identity.rowId(), engine.waitingVersion());
        return engine;
    }

    private static void store(StorageStep step) {
        try {
            step.run();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean storeBoolean(StorageQuery step) {
        try {
            return step.run();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface StorageStep {
        void run() throws StorageException;
    }

    @FunctionalInterface
    private interface StorageQuery {
        boolean run() throws StorageException;
    }
}
