package org.parley.node.sync;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Chat messages in the history journal: appends an entry for each text message this device keeps
 * ({@code chat.sent} for ours, {@code chat.received} for a contact's), and brings the chat entries
 * of the user's other devices into this device's chat, each message once (the chat deduplicates
 * by message id, so a message that reached two devices shows once). What it has brought over is
 * kept per device as the last sequence number taken, so that a restart continues where it
 * stopped and nothing is taken twice. Thread safe.
 */
public final class ChatJournal {

    private static final Logger log = LoggerFactory.getLogger(ChatJournal.class);

    /** The kind of an entry for a message this user sent. */
    public static final String SENT = "chat.sent";
    /** The kind of an entry for a message this user received. */
    public static final String RECEIVED = "chat.received";

    /** Entries read from the store at a time while importing: bounds memory, a few MiB at most. */
    static final int IMPORT_BATCH = 512;

    static final String CURSOR_PREFIX = "chat-import.";

    private final Journal journal;
    private final ChatHistory chat;
    private final KeyValueStore cursors;

    ChatJournal(Journal journal, ChatHistory chat, KeyValueStore cursors) {
        this.journal = journal;
        this.chat = chat;
        this.cursors = cursors;
    }

    /** Appends the entry for a message this device kept. */
    void kept(ChatHistory.KeptMessage message) {
        journal.append(message.outgoing() ? SENT : RECEIVED, ChatEntryPayload.of(message).encode());
    }

    /**
     * Brings over the chat entries of the other devices that arrived since the last call.
     *
     * @return how many messages were new here
     */
    synchronized int importNew() throws StorageException {
        int added = 0;
        for (Map.Entry<PeerId, Long> head : journal.store().versionVector().heads().entrySet()) {
            PeerId device = head.getKey();
            if (device.equals(journal.device())) {
                continue;
            }
            added += importFrom(device, head.getValue());
        }
        return added;
    }

    private int importFrom(PeerId device, long head) throws StorageException {
        long taken = cursor(device);
        int added = 0;
        while (taken < head) {
            List<JournalEntry> entries = journal.store().after(device, taken, IMPORT_BATCH);
            if (entries.isEmpty()) {
                break;
            }
            for (JournalEntry entry : entries) {
                if (entry.kind().equals(SENT) || entry.kind().equals(RECEIVED)) {
                    Optional<ChatHistory.KeptMessage> message;
                    try {
                        message = read(entry);
                    } catch (UnreadableEntryException e) {
                        // No key for it (yet): stop here, and the next import tries again.
                        log.warn("chat entry {} of device {} does not open here: {}", entry.seq(), device,
                                e.getMessage());
                        setCursor(device, taken);
                        return added;
                    }
                    if (message.isPresent() && keep(entry, message.get())) {
                        added++;
                    }
                }
                taken = entry.seq();
            }
            setCursor(device, taken);
        }
        return added;
    }

    /**
     * The message of a chat entry; empty for a payload that is no chat message this version reads
     * (skipped: a device of the user signed it, so it is a format mismatch, not an attack).
     *
     * @throws UnreadableEntryException if this device lacks the history key it was sealed with
     */
    private Optional<ChatHistory.KeptMessage> read(JournalEntry entry) throws UnreadableEntryException {
        byte[] payload = journal.open(entry);
        try {
            return Optional.of(ChatEntryPayload.decode(payload).message());
        } catch (IllegalArgumentException e) {
            log.warn("chat entry {} of device {} is skipped: {}", entry.seq(), entry.device(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps the message in the chat; a text the chat refuses (too long, say) is skipped and logged. */
    private boolean keep(JournalEntry entry, ChatHistory.KeptMessage message) throws StorageException {
        try {
            return chat.importCopy(message);
        } catch (IllegalArgumentException e) {
            log.warn("chat entry {} of device {} is skipped: {}", entry.seq(), entry.device(), e.getMessage());
            return false;
        }
    }

    private long cursor(PeerId device) throws StorageException {
        return cursors.get(CURSOR_PREFIX + device.toBase58()).filter(b -> b.length == Long.BYTES)
                .map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
    }

    private void setCursor(PeerId device, long seq) throws StorageException {
        cursors.put(CURSOR_PREFIX + device.toBase58(), ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
    }
}
