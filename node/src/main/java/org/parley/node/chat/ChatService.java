package org.parley.node.chat;

import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.InvalidInviteException;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.InviteLink;
import org.parley.chat.identity.UserId;
import org.parley.chat.session.SafetyNumber;
import org.parley.chat.wire.ChatContent;
import org.parley.files.link.FileLink;
import org.parley.files.link.InvalidFileLinkException;
import org.parley.chat.wire.ChatEnvelope;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.libp2p.multiaddr.Multiaddr;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.events.NodeEvent;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.service.ServiceException;
import org.parley.node.storage.StorageException;

/**
 * What a user does with chat: contacts with consent (add with a request, accept, decline, block,
 * unblock, remove), safety numbers and verification, sending and reading messages. Every
 * operation names its identity ({@code --identity}; the default one when empty) and a contact by
 * user ID or local name, and refuses a mistake with a {@link ServiceException} that says what to
 * do. Thread safe.
 */
public final class ChatService {

    /** Messages one history request returns at most: a screenful many times over, a bounded answer. */
    public static final int MAX_HISTORY = 10_000;

    /** Messages a history request returns when it names no limit. */
    public static final int DEFAULT_HISTORY = 50;

    /** A local name for a contact, in characters: as long as a display name. */
    public static final int MAX_NAME_LENGTH = ChatContent.MAX_DISPLAY_NAME_LENGTH;

    private final ChatRuntime runtime;
    private final OutboxWake wakeOutbox;

    ChatService(ChatRuntime runtime, OutboxWake wakeOutbox) {
        this.runtime = runtime;
        this.wakeOutbox = wakeOutbox;
    }

    public LocalIdentity identity(Optional<String> reference) {
        return runtime.identities.resolve(reference);
    }

    /**
     * Adds a contact and sends them one contact request: {@code idOrInvite} is a user ID or an
     * invite link (whose addresses are tried first). If they had asked us already, this accepts.
     */
    public Contact add(Optional<String> identityRef, String idOrInvite, Optional<String> intro, Optional<String> name) {
        LocalIdentity identity = identity(identityRef);
        InviteLink invite = parseContact(idOrInvite);
        UserId user = invite.id();
        if (runtime.identities.all().stream().anyMatch(i -> i.userId().equals(user))) {
            throw ServiceException.badInput("that is one of this node's own identities; add someone else's ID");
        }
        String introText = intro.orElse("");
        int introLength = introText.codePointCount(0, introText.length());
        if (introLength > ChatContent.MAX_INTRO_LENGTH) {
            throw ServiceException.badInput("an intro has at most " + ChatContent.MAX_INTRO_LENGTH
                    + " characters; this one has " + introLength + ": shorten it");
        }
        Optional<String> localName = name.map(String::strip).filter(n -> !n.isEmpty());
        localName.ifPresent(n -> checkName(identity, n, user));
        Optional<Contact> existing = runtime.contact(identity.rowId(), user);
        if (existing.isPresent()) {
            Contact c = existing.get();
            switch (c.state()) {
                case PENDING -> {
                    return accept(identityRef, user.text());
                }
                case BLOCKED -> throw ServiceException.badInput(c.label() + " is blocked: unblock them first with"
                        + " parley unblock " + c.label());
                case ACCEPTED, REQUESTED -> {
                    // Already a contact (or asked): adding again only gives them the name.
                    if (localName.isEmpty() || localName.equals(c.name())) {
                        return c;
                    }
                    Contact renamed = c.withName(localName, runtime.clock.instant());
                    runtime.put(renamed);
                    return renamed;
                }
                case DECLINED -> {
                    // Asking again after a decline is the user's own choice.
                }
            }
        }
        var now = runtime.clock.instant();
        Contact contact = new Contact(identity.rowId(), user, localName, invite.displayName(), ContactState.REQUESTED,
                Optional.empty(), false, false, invite.addresses(), Optional.empty(), OptionalInt.empty(),
                ChatRuntime.conversation(identity.userId(), user), existing.map(Contact::createdAt).orElse(now), now);
        ChatEnvelope request = new ChatEnvelope(MessageId.next(), runtime.hlc.now(), contact.conversation(),
                new ChatContent.ContactRequest(introText, identity.displayName()));
        runtime.put(contact);
        store(() -> runtime.messages.queue(identity.rowId(), user, request, runtime.clock.millis()));
        wakeOutbox.queued(identity.rowId(), user);
        return contact;
    }

    /** The contacts of the identity (every state but pending requests), oldest first. */
    public List<Contact> contacts(Optional<String> identityRef) {
        return all(identity(identityRef)).stream().filter(c -> c.state() != ContactState.PENDING).toList();
    }

    /** The pending contact requests, oldest first, with their intros. */
    public List<Contact> requests(Optional<String> identityRef) {
        return all(identity(identityRef)).stream().filter(c -> c.state() == ContactState.PENDING).toList();
    }

    public Contact accept(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        if (c.state() != ContactState.PENDING) {
            throw ServiceException.badInput(c.label() + " has no pending request (the contact is " + c.state().wireName()
                    + ")");
        }
        Contact accepted = c.withState(ContactState.ACCEPTED, runtime.clock.instant());
        runtime.put(accepted);
        ChatEnvelope response = new ChatEnvelope(MessageId.next(), runtime.hlc.now(), c.conversation(),
                new ChatContent.ContactResponse(true));
        store(() -> runtime.messages.queue(identity.rowId(), c.userId(), response, runtime.clock.millis()));
        wakeOutbox.queued(identity.rowId(), c.userId());
        return accepted;
    }

    /** Declines a pending request silently: only the decision is kept (their intro is gone), and they are not told. */
    public Contact decline(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        if (c.state() != ContactState.PENDING) {
            throw ServiceException.badInput(c.label() + " has no pending request (the contact is " + c.state().wireName()
                    + ")");
        }
        Contact declined = c.withState(ContactState.DECLINED, runtime.clock.instant());
        runtime.put(declined);
        return declined;
    }

    /**
     * Blocks a contact (or any user ID): everything from them is dropped silently, nothing is sent
     * to them, until unblocked. The consent the block replaces is remembered for {@link #unblock}.
     */
    public Contact block(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contactOrStranger(identity, reference);
        if (c.state() != ContactState.BLOCKED) {
            ContactState before = runtime.contact(identity.rowId(), c.userId()).map(Contact::state)
                    .orElse(ContactState.BLOCKED);
            // BLOCKED stands for "no contact before the block": a stranger, forgotten again on unblock.
            store(() -> runtime.settings.put(blockedFromKey(identity, c),
                    before.wireName().getBytes(StandardCharsets.US_ASCII)));
        }
        Contact blocked = c.withState(ContactState.BLOCKED, runtime.clock.instant());
        runtime.put(blocked);
        return blocked;
    }

    /**
     * Lifts a block and restores the consent it replaced: an accepted contact is accepted again
     * (whether or not a message was exchanged), a declined one stays declined; a stranger, a
     * pending request or our own unanswered request is forgotten, so either side may ask anew.
     * For a block from before that consent was remembered, a contact with a conversation is a
     * contact again and anyone else is forgotten.
     */
    public Contact unblock(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        if (c.state() != ContactState.BLOCKED) {
            throw ServiceException.badInput(c.label() + " is not blocked");
        }
        String key = blockedFromKey(identity, c);
        Optional<ContactState> before = read(() -> runtime.settings.get(key)).map(b -> ContactState.ofWireName(new String(b, StandardCharsets.US_ASCII)));
        ContactState restored = before.orElseGet(() -> history(identity, c, 1).isEmpty() ? ContactState.BLOCKED
                : ContactState.ACCEPTED);
        read(() -> runtime.settings.delete(key));
        if (restored == ContactState.ACCEPTED || restored == ContactState.DECLINED) {
            Contact back = c.withState(restored, runtime.clock.instant());
            runtime.put(back);
            if (restored == ContactState.ACCEPTED) {
                store(() -> runtime.messages.wake(identity.rowId(), c.userId()));
                wakeOutbox.queued(identity.rowId(), c.userId());
            }
            return back;
        }
        store(() -> runtime.deleteContact(identity.rowId(), c.userId()));
        return c.withState(ContactState.DECLINED, runtime.clock.instant());
    }

    /** Where {@link #block} remembers the consent it replaced. */
    private static String blockedFromKey(LocalIdentity identity, Contact c) {
        return "blocked-from/" + identity.rowId() + "/" + c.userId().text();
    }

    /** Forgets a contact and the conversation with them. */
    public Contact remove(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        store(() -> runtime.deleteContact(identity.rowId(), c.userId()));
        return c;
    }

    public SafetyNumber safetyNumber(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        return SafetyNumber.between(identity.userId(), c.userId());
    }

    /** Marks the contact verified (the user compared the safety number) and lifts a key warning, releasing held messages. */
    public Contact verify(Optional<String> identityRef, String reference) {
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        Contact verified = c.withVerified(true, false, runtime.clock.instant());
        runtime.put(verified);
        store(() -> runtime.messages.wake(identity.rowId(), c.userId()));
        wakeOutbox.queued(identity.rowId(), c.userId());
        return verified;
    }

    /**
     * Keeps a text message for an accepted contact and queues it; it counts as sent once a device
     * of theirs acknowledges it.
     */
    public StoredMessage send(Optional<String> identityRef, String reference, String text) {
        LocalIdentity identity = identity(identityRef);
        Contact c = acceptedContact(identity, reference);
        if (text.isEmpty()) {
            throw ServiceException.badInput("the message is empty: give the text to send");
        }
        ChatContent.Text content;
        try {
            content = new ChatContent.Text(text);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage() + ": split it into shorter messages");
        }
        return keepAndQueue(identity, c, content, text);
    }

    /**
     * Sends a file link (key included) to one accepted contact: kept as a message whose text is the
     * file's name, queued as a file offer. Sharing the file is the caller's part.
     */
    public StoredMessage sendFile(Optional<String> identityRef, String reference, String link) {
        LocalIdentity identity = identity(identityRef);
        Contact c = acceptedContact(identity, reference);
        FileLink parsed;
        try {
            parsed = FileLink.parse(link);
        } catch (InvalidFileLinkException e) {
            throw ServiceException.badInput(e.getMessage());
        }
        String text = parsed.toUri();
        ChatContent.FileOffer content;
        try {
            content = new ChatContent.FileOffer(text);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badInput(e.getMessage() + ": share the file with fewer peer addresses");
        }
        return keepAndQueue(identity, c, content, parsed.name());
    }

    private StoredMessage keepAndQueue(LocalIdentity identity, Contact c, ChatContent content, String text) {
        // After the conversation's latest message, whatever this device's clock says: a reply never shows first.
        HlcTimestamp time = runtime.hlc.nowAfter(read(() -> runtime.messages.latestTime(identity.rowId(), c.userId())));
        ChatEnvelope envelope = new ChatEnvelope(MessageId.next(), time, c.conversation(), content);
        store(() -> runtime.messages.addOutgoing(identity.rowId(), c.userId(), envelope, text, runtime.clock.millis()));
        runtime.history.recorded();
        runtime.publish(new NodeEvent.ChatMessage(identity.userId().text(), c.userId().text(), envelope.id().toString(),
                true, envelope.timestamp().physicalMillis(), envelope.timestamp().counter(), text));
        wakeOutbox.queued(identity.rowId(), c.userId());
        Optional<String> link = content instanceof ChatContent.FileOffer f ? Optional.of(f.link()) : Optional.empty();
        return new StoredMessage(envelope.id(), c.userId(), true, envelope.timestamp(), text, MessageState.PENDING,
                Optional.empty(), link);
    }

    /** The contact {@code reference} names, if messages may go to them; else what the user should do. */
    private Contact acceptedContact(LocalIdentity identity, String reference) {
        Contact c = contact(identity, reference);
        switch (c.state()) {
            case ACCEPTED -> { }
            case REQUESTED -> throw ServiceException.badInput(c.label() + " has not accepted your contact request yet;"
                    + " messages can be sent once they do");
            case PENDING -> throw ServiceException.badInput(c.label() + " asked to become your contact: accept first"
                    + " with parley accept " + c.label());
            case DECLINED -> throw ServiceException.badInput(c.label() + " is not your contact (the request was"
                    + " declined); add them again with parley contacts add");
            case BLOCKED -> throw ServiceException.badInput(c.label() + " is blocked: unblock them first");
        }
        return c;
    }

    /**
     * The latest {@code limit} messages with a contact, oldest first; their messages shown here
     * become read, and a read receipt goes back.
     */
    public List<StoredMessage> history(Optional<String> identityRef, String reference, OptionalInt limit) {
        int n = limit.orElse(DEFAULT_HISTORY);
        if (n < 1 || n > MAX_HISTORY) {
            throw ServiceException.badInput("the limit must be 1.." + MAX_HISTORY + ", got " + n);
        }
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        List<StoredMessage> messages = history(identity, c, n);
        markRead(identity, c, unreadAmong(messages));
        return messages;
    }

    /**
     * The latest {@code limit} messages with a contact that come before the message {@code before}
     * (32 hex digits), oldest first: the next older page. Their messages shown here become read.
     *
     * @throws ServiceException BAD_INPUT for a limit out of range or a malformed id, NOT_FOUND if
     *     there is no such message with this contact
     */
    public List<StoredMessage> historyBefore(Optional<String> identityRef, String reference, String before, int limit) {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw ServiceException.badInput("the limit must be 1.." + MAX_HISTORY + ", got " + limit);
        }
        MessageId cursor = messageId(before, "before");
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        List<StoredMessage> messages = read(() -> runtime.messages.historyBefore(identity.rowId(), c.userId(), cursor,
                limit)).orElseThrow(() -> ServiceException.notFound("no message " + before + " with " + c.label()));
        markRead(identity, c, unreadAmong(messages));
        return messages;
    }

    /**
     * Marks every message a contact sent up to and including {@code upTo} (32 hex digits) read, and
     * sends them the read receipts.
     *
     * @return how many became read
     * @throws ServiceException BAD_INPUT for a malformed id, NOT_FOUND if there is no such message
     */
    public int markReadUpTo(Optional<String> identityRef, String reference, String upTo) {
        MessageId cursor = messageId(upTo, "upTo");
        LocalIdentity identity = identity(identityRef);
        Contact c = contact(identity, reference);
        List<MessageId> unread = read(() -> runtime.messages.unreadUpTo(identity.rowId(), c.userId(), cursor,
                MAX_HISTORY)).orElseThrow(() -> ServiceException.notFound("no message " + upTo + " with " + c.label()));
        markRead(identity, c, unread);
        return c.state() == ContactState.ACCEPTED ? unread.size() : 0;
    }

    /** Unread (received, not yet shown) messages per contact user ID, of the identity {@code identityRef} names. */
    public Map<String, Integer> unreadCounts(Optional<String> identityRef) {
        LocalIdentity identity = identity(identityRef);
        return read(() -> runtime.messages.unreadCounts(identity.rowId()));
    }

    private static List<MessageId> unreadAmong(List<StoredMessage> messages) {
        List<MessageId> unread = new ArrayList<>();
        for (StoredMessage m : messages) {
            if (!m.outgoing() && m.state() == MessageState.RECEIVED) {
                unread.add(m.id());
            }
        }
        return unread;
    }

    private void markRead(LocalIdentity identity, Contact c, List<MessageId> unread) {
        if (!unread.isEmpty() && c.state() == ContactState.ACCEPTED) {
            for (MessageId id : unread) {
                store(() -> runtime.messages.moveState(identity.rowId(), c.userId(), id, MessageState.READ,
                        Optional.empty()));
            }
            runtime.history.recorded();
            for (int from = 0; from < unread.size(); from += ChatContent.MAX_RECEIPT_IDS) {
                List<MessageId> part = unread.subList(from, Math.min(unread.size(), from + ChatContent.MAX_RECEIPT_IDS));
                ChatEnvelope receipt = new ChatEnvelope(MessageId.next(), runtime.hlc.now(), c.conversation(),
                        new ChatContent.Receipt(ChatContent.ReceiptKind.READ, part));
                store(() -> runtime.messages.queue(identity.rowId(), c.userId(), receipt, runtime.clock.millis()));
            }
            wakeOutbox.queued(identity.rowId(), c.userId());
        }
    }

    static MessageId messageId(String hex, String field) {
        byte[] bytes;
        try {
            bytes = java.util.HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != MessageId.BYTES) {
            throw ServiceException.badInput("'" + field + "' must be a message id of " + (MessageId.BYTES * 2)
                    + " hex digits, got '" + hex + "'");
        }
        return new MessageId(bytes);
    }

    /** The contact {@code reference} names under the identity {@code identityRef} names. */
    public Contact find(Optional<String> identityRef, String reference) {
        return contact(identity(identityRef), reference);
    }

    /** The latest message with {@code contact}, without marking anything read. */
    public Optional<StoredMessage> latest(Optional<String> identityRef, Contact contact) {
        List<StoredMessage> last = history(identity(identityRef), contact, 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(last.getLast());
    }

    private List<StoredMessage> history(LocalIdentity identity, Contact c, int limit) {
        try {
            return runtime.messages.history(identity.rowId(), c.userId(), limit);
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Contact> all(LocalIdentity identity) {
        return runtime.contacts(identity.rowId());
    }

    /**
     * The contact {@code reference} names: a user ID (checked for typos), a local name, or a
     * display name they gave.
     */
    Contact contact(LocalIdentity identity, String reference) {
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty()) {
            throw ServiceException.badInput("name a contact: their user ID or the name you gave them");
        }
        if (looksLikeUserId(ref)) {
            UserId user = parseUserId(ref);
            return runtime.contact(identity.rowId(), user).orElseThrow(() -> ServiceException.notFound(
                    user.text() + " is not a contact of this identity: add them with parley contacts add " + user.text()));
        }
        List<Contact> all = all(identity);
        Optional<Contact> named = all.stream().filter(c -> c.name().equals(Optional.of(ref))).findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        // A display name is chosen by its owner, so a stranger can pick a contact's: it names
        // someone only when no one else carries it.
        List<Contact> shown = all.stream().filter(c -> c.name().isEmpty() && c.displayName().equals(Optional.of(ref)))
                .toList();
        if (shown.size() > 1) {
            throw ServiceException.badInput(shown.size() + " contacts or requests call themselves '" + ref
                    + "': give the user ID instead (parley contacts, parley requests)");
        }
        return shown.stream().findFirst().orElseThrow(() -> ServiceException.notFound("no contact is named '" + ref
                + "': see parley contacts, or give their user ID"));
    }

    private Contact contactOrStranger(LocalIdentity identity, String reference) {
        String ref = reference == null ? "" : reference.strip();
        if (looksLikeUserId(ref)) {
            UserId user = parseUserId(ref);
            var now = runtime.clock.instant();
            return runtime.contact(identity.rowId(), user).orElse(new Contact(identity.rowId(), user, Optional.empty(),
                    Optional.empty(), ContactState.BLOCKED, Optional.empty(), false, false, List.<Multiaddr>of(),
                    Optional.empty(), OptionalInt.empty(), ChatRuntime.conversation(identity.userId(), user), now, now));
        }
        return contact(identity, ref);
    }

    private void checkName(LocalIdentity identity, String name, UserId user) {
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw ServiceException.badInput("a contact's name has at most " + MAX_NAME_LENGTH + " characters");
        }
        if (looksLikeUserId(name)) {
            throw ServiceException.badInput("a contact's name cannot look like a user ID; choose another");
        }
        all(identity).stream().filter(c -> c.name().equals(Optional.of(name)) && !c.userId().equals(user)).findFirst()
                .ifPresent(c -> {
                    throw ServiceException.badInput("the name '" + name + "' is taken by another contact; choose another");
                });
    }

    private static boolean looksLikeUserId(String text) {
        return text.toLowerCase(Locale.ROOT).startsWith(UserId.HRP + "1");
    }

    private static UserId parseUserId(String text) {
        try {
            return UserId.parse(text);
        } catch (InvalidUserIdException e) {
            throw ServiceException.badInput(e.getMessage());
        }
    }

    private static InviteLink parseContact(String idOrInvite) {
        String text = idOrInvite == null ? "" : idOrInvite.strip();
        if (text.startsWith(InviteLink.PREFIX.substring(0, InviteLink.PREFIX.indexOf(':') + 1))) {
            try {
                return InviteLink.parse(text);
            } catch (InvalidInviteException e) {
                throw ServiceException.badInput(e.getMessage());
            }
        }
        if (!looksLikeUserId(text)) {
            throw ServiceException.badInput("'" + text + "' is neither a user ID (parley1...) nor an invite link"
                    + " (parley:invite?...): ask your contact for theirs (parley id shows yours)");
        }
        return new InviteLink(parseUserId(text), List.of(), Optional.empty());
    }

    private static void store(StorageStep step) {
        try {
            step.run();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(StorageRead<T> step) {
        try {
            return step.run();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface StorageRead<T> {
        T run() throws StorageException;
    }

    @FunctionalInterface
    private interface StorageStep {
        void run() throws StorageException;
    }

}
