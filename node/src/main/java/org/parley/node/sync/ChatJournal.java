package org.parley.node.sync;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.parley.journal.Journal;
import org.parley.journal.entry.JournalEntry;
import org.parley.journal.entry.UnreadableEntryException;
import org.parley.libp2p.peer.PeerId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.storage.KeyValueStore;
import org.parley.node.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat messages in the history journal: appends an entry for each message this device keeps
 * ({@code chat.sent} for ours, {@code chat.received} for a contact's; texts and file offers), for
 * each group message it keeps ({@code group.message}, sent or received), and
 * for each move of a message to delivered or read ({@code chat.state}), and brings the chat
 * entries of the user's other devices into this device's chat, each message once (the chat
 * deduplicates by message id, so a message that reached two devices shows once). What it has
 * brought over is kept per device as the last sequence number taken, so that a restart continues
 * where it stopped and nothing is taken twice. Contact changes ({@code contact.change}: consent,
 * name, removal) of every device are taken first, then messages, then states,
 * so a state from one device finds a message another device journaled; a state whose message is
 * not here at all is skipped. Changes the chat hands over together share one {@code chat.changes}
 * entry (each part is what its own entry would hold), so a burst costs one signature; each pass
 * takes the parts of its kinds from it. Thread safe.
 */
public final class ChatJournal {

    private static final Logger log = LoggerFactory.getLogger(ChatJournal.class);

    /** The kind of an entry for a message this user sent. */
    public static final String SENT = "chat.sent";
    /** The kind of an entry for a message this user received. */
    public static final String RECEIVED = "chat.received";
    /** The kind of an entry for a message of this user that moved to delivered or read. */
    public static final String STATE = "chat.state";
    /** The kind of an entry for a contact whose consent or name changed, or who was removed. */
    public static final String CONTACT = "contact.change";
    /** The kind of an entry for a group message this user sent or received. */
    public static final String GROUP_MESSAGE = "group.message";
    /**
     * The kind of an entry that holds several of the changes above, in order ({@link ChatChangesPayload}):
     * what one hand-over of the chat's history writer journals when it has more than one change.
     */
    public static final String CHANGES = "chat.changes";

    /** Entries read from the store at a time while importing: bounds memory, a few MiB at most. */
    static final int IMPORT_BATCH = 512;

    static final String CURSOR_PREFIX = "chat-import.";
    static final String STATE_CURSOR_PREFIX = "chat-state-import.";
    static final String CONTACT_CURSOR_PREFIX = "contact-import.";

    /** One pass over the other devices' entries: which kinds it takes, and where it keeps its cursors. */
    private enum Pass {
        CONTACTS(CONTACT_CURSOR_PREFIX), MESSAGES(CURSOR_PREFIX), STATES(STATE_CURSOR_PREFIX);

        final String cursorPrefix;

        Pass(String cursorPrefix) {
            this.cursorPrefix = cursorPrefix;
        }

        boolean takes(String kind) {
            return switch (this) {
                case CONTACTS -> kind.equals(CONTACT);
                case MESSAGES -> kind.equals(SENT) || kind.equals(RECEIVED) || kind.equals(GROUP_MESSAGE);
                case STATES -> kind.equals(STATE);
            };
        }
    }

    private final Journal journal;
    private final ChatHistory chat;
    private final KeyValueStore cursors;
    private final LongSupplier linkedAtMillis;

    /**
     * @param linkedAtMillis when this device was added to the user's device list (0 if it never
     *     was linked): contact changes journaled before then are skipped, since the link gave this
     *     device the contacts as they were then, and replaying older changes would move them back
     *     for a while
     */
    ChatJournal(Journal journal, ChatHistory chat, KeyValueStore cursors, LongSupplier linkedAtMillis) {
        this.journal = journal;
        this.chat = chat;
        this.cursors = cursors;
        this.linkedAtMillis = linkedAtMillis;
    }

    ChatJournal(Journal journal, ChatHistory chat, KeyValueStore cursors) {
        this(journal, chat, cursors, () -> 0L);
    }

    /**
     * Appends the entries for changes this device made, in order and in one transaction that also
     * runs {@code alongside} (the chat drops the changes from its outbox there).
     */
    void changed(List<ChatHistory.Change> changes, Runnable alongside) {
        // Several changes share an entry: one signature and one seal for a burst, not one each.
        journal.appendAll(ChatChangesPayload.pack(changes.stream().map(ChatJournal::partOf).toList()), alongside);
    }

    private static ChatChangesPayload.Part partOf(ChatHistory.Change change) {
        return switch (change) {
            case ChatHistory.KeptMessage message -> new ChatChangesPayload.Part(message.outgoing() ? SENT : RECEIVED,
                    ChatEntryPayload.of(message).encode());
            case ChatHistory.StateChange state -> new ChatChangesPayload.Part(STATE,
                    ChatStatePayload.of(state).encode());
            case ChatHistory.ContactChange contact -> new ChatChangesPayload.Part(CONTACT,
                    ContactChangePayload.of(contact).encode());
            case ChatHistory.KeptGroupMessage message -> new ChatChangesPayload.Part(GROUP_MESSAGE,
                    GroupEntryPayload.of(message).encode());
        };
    }

    /**
     * Brings over the chat entries of the other devices that arrived since the last call.
     *
     * @return how many messages were new here
     */
    synchronized int importNew() throws StorageException {
        Map<PeerId, Long> heads = journal.store().versionVector().heads();
        int added = 0;
        for (Pass pass : Pass.values()) {
            for (Map.Entry<PeerId, Long> head : heads.entrySet()) {
                PeerId device = head.getKey();
                if (device.equals(journal.device())) {
                    continue;
                }
                added += importFrom(pass, device, head.getValue());
            }
        }
        return added;
    }

    private int importFrom(Pass pass, PeerId device, long head) throws StorageException {
        long taken = cursor(pass, device);
        int added = 0;
        while (taken < head) {
            List<JournalEntry> entries = journal.store().after(device, taken, IMPORT_BATCH);
            if (entries.isEmpty()) {
                break;
            }
            for (JournalEntry entry : entries) {
                if (pass == Pass.CONTACTS && entry.hlc().physicalMillis() < linkedAtMillis.getAsLong()) {
                    // Made before this device was linked: the link's contacts already hold its outcome.
                    taken = entry.seq();
                    continue;
                }
                if (pass.takes(entry.kind()) || entry.kind().equals(CHANGES)) {
                    List<ChatChangesPayload.Part> parts;
                    try {
                        parts = parts(entry);
                    } catch (UnreadableEntryException e) {
                        // No key for it (yet): stop here, and the next import tries again.
                        log.warn("chat entry {} of device {} does not open here: {}", entry.seq(), device,
                                e.getMessage());
                        setCursor(pass, device, taken);
                        return added;
                    }
                    for (ChatChangesPayload.Part part : parts) {
                        if (!pass.takes(part.kind())) {
                            continue;
                        }
                        Optional<ChatHistory.Change> change = read(entry, part);
                        if (change.isPresent() && apply(entry, change.get())) {
                            added++;
                        }
                    }
                }
                taken = entry.seq();
            }
            setCursor(pass, device, taken);
        }
        return added;
    }

    /**
     * The changes a chat entry holds: its own payload, or each part of a {@code chat.changes}
     * entry; none for a {@code chat.changes} payload this version cannot read (skipped and logged,
     * as a device of the user signed it: a format mismatch, not an attack).
     *
     * @throws UnreadableEntryException if this device lacks the history key it was sealed with
     */
    private List<ChatChangesPayload.Part> parts(JournalEntry entry) throws UnreadableEntryException {
        byte[] payload = journal.open(entry);
        try {
            return ChatChangesPayload.partsOf(entry.kind(), payload);
        } catch (IllegalArgumentException e) {
            log.warn("chat entry {} of device {} is skipped: {}", entry.seq(), entry.device(), e.getMessage());
            return List.of();
        }
    }

    /**
     * The change one part of an entry describes; empty for a payload that is no chat change this
     * version reads (skipped and logged, as in {@link #parts}).
     */
    private static Optional<ChatHistory.Change> read(JournalEntry entry, ChatChangesPayload.Part part) {
        byte[] payload = part.payload();
        try {
            return Optional.of(switch (part.kind()) {
                case STATE -> ChatStatePayload.decode(payload).change();
                case CONTACT -> ContactChangePayload.decode(payload).change();
                case GROUP_MESSAGE -> GroupEntryPayload.decode(payload).message();
                default -> ChatEntryPayload.decode(payload).message();
            });
        } catch (IllegalArgumentException e) {
            log.warn("chat entry {} of device {} is skipped: {}", entry.seq(), entry.device(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Keeps the message in the chat, or moves its state; a message the chat refuses (too long, a
     * link that does not parse) is skipped and logged, as is a state whose message is not here.
     */
    private boolean apply(JournalEntry entry, ChatHistory.Change change) throws StorageException {
        try {
            return switch (change) {
                case ChatHistory.KeptMessage message -> chat.importCopy(message);
                case ChatHistory.StateChange state -> chat.importState(state);
                case ChatHistory.ContactChange contact -> chat.importContact(contact);
                case ChatHistory.KeptGroupMessage message -> chat.importGroupCopy(message);
            };
        } catch (IllegalArgumentException e) {
            log.warn("chat entry {} of device {} is skipped: {}", entry.seq(), entry.device(), e.getMessage());
            return false;
        }
    }

    private long cursor(Pass pass, PeerId device) throws StorageException {
        return cursors.get(pass.cursorPrefix + device.toBase58()).filter(b -> b.length == Long.BYTES)
                .map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
    }

    private void setCursor(Pass pass, PeerId device, long seq) throws StorageException {
        cursors.put(pass.cursorPrefix + device.toBase58(), ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
    }
}
