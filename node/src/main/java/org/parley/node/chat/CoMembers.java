package org.parley.node.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.ConversationId;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.identity.LocalIdentity;

/**
 * Group membership as consent for group traffic only. A member another admin added need not be
 * an accepted contact of every other member; the pairwise session that group envelopes (sender
 * keys, ciphertexts, operations) travel over is then started with a co-member of a shared group
 * as with a contact (its devices and prekeys found through the DHT). Nothing else passes: a text,
 * file offer, receipt or contact request from a co-member who is not a contact is treated as
 * from a stranger. A blocked contact stays blocked in groups too. The same routing carries copies
 * of this user's own group traffic to its other devices. Thread safe.
 */
final class CoMembers {

    /** Whether a user shares a group with one of this node's identities (the group engines know). */
    @FunctionalInterface
    interface Groups {
        boolean share(long identityRow, ConversationId group, UserId user);
    }

    /** The device last reached of a co-member who is not a contact (contacts keep theirs in their row). */
    private record Reached(String peer, int device) {}

    private record Key(long identityRow, UserId user) {}

    private final ChatRuntime runtime;
    private volatile Groups groups = (row, group, user) -> false;
    private final Map<Key, Reached> reached = new ConcurrentHashMap<>();

    CoMembers(ChatRuntime runtime) {
        this.runtime = runtime;
    }

    /** Set once the group service exists (it is made after the outbox that asks this). */
    void use(Groups source) {
        this.groups = source;
    }

    /** The group a group envelope's content belongs to; empty for anything else. */
    static Optional<ConversationId> groupOf(ChatContent content) {
        return switch (content) {
            case ChatContent.GroupOps ops -> Optional.of(ops.group());
            case ChatContent.GroupMessage message -> Optional.of(message.group());
            default -> Optional.empty();
        };
    }

    /**
     * Whether {@code content} from or to {@code user} is group traffic of a group that user shares
     * with the identity, and the user is not blocked by it.
     */
    boolean mayCarry(long identityRow, UserId user, ChatContent content) {
        Optional<ConversationId> group = groupOf(content);
        if (group.isEmpty()) {
            return false;
        }
        Optional<Contact> stored = runtime.contact(identityRow, user);
        if (stored.isPresent() && stored.get().state() == ContactState.BLOCKED) {
            return false;
        }
        return groups.share(identityRow, group.get(), user);
    }

    /**
     * What the outbox routes group content to {@code user} by when the user is no accepted
     * contact: the stored contact row if there is one (pending, declined), else a stand-in that is
     * never stored, carrying the device last reached. Empty if the content may not go.
     */
    Optional<Contact> route(LocalIdentity identity, UserId user, ChatContent content) {
        // A copy of our own group traffic for this user's other devices (see GroupEngine#copyToSiblings).
        boolean ownCopy = user.equals(identity.userId()) && groupOf(content).isPresent();
        if (!ownCopy && !mayCarry(identity.rowId(), user, content)) {
            return Optional.empty();
        }
        Optional<Contact> stored = runtime.contact(identity.rowId(), user);
        return stored.isPresent() ? stored : Optional.of(standIn(identity, user));
    }

    /** A contact row that is never stored, for a co-member without one: the device last reached, if any. */
    Contact standIn(LocalIdentity identity, UserId user) {
        Reached last = reached.get(new Key(identity.rowId(), user));
        Instant now = runtime.clock.instant();
        // ACCEPTED only so that the outbox's routing treats it like a contact for this group envelope.
        return new Contact(identity.rowId(), user, Optional.empty(), Optional.empty(),
                ContactState.ACCEPTED, Optional.empty(), false, false, List.of(),
                Optional.ofNullable(last).map(Reached::peer),
                last == null ? OptionalInt.empty() : OptionalInt.of(last.device()),
                ChatRuntime.conversation(identity.userId(), user), now, now);
    }

    /** Whether {@code user} has a stored contact row with {@code identityRow}. */
    boolean stored(long identityRow, UserId user) {
        return runtime.contact(identityRow, user).isPresent();
    }

    /** Remembers the device a co-member without a contact row was reached at (or heard from). */
    void reached(long identityRow, UserId user, String peer, int device) {
        reached.put(new Key(identityRow, user), new Reached(peer, device));
    }
}
