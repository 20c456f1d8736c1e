package org.parley.chat.wire;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one chat envelope says. Sealed: group operations join later (their protobuf field numbers
 * are reserved). Every limit is checked here, so a record that exists is
 * one the codec can write.
 */
public sealed interface ChatContent {

    /**
     * Text of one message, in UTF-8 bytes. With the envelope's other fields it stays inside the
     * largest padding bucket ({@link Padding#MAX_PADDED_BYTES}, 64 KiB).
     */
    int MAX_TEXT_BYTES = 60 * 1024;

    /** The intro of a contact request, in Unicode code points: what the consent rules promise (280). */
    int MAX_INTRO_LENGTH = 280;

    /** A display name, in code points: as in an invite link. */
    int MAX_DISPLAY_NAME_LENGTH = 64;

    /**
     * Message ids in one receipt: a device coming back online acknowledges a backlog in a few
     * receipts; 512 ids are about 9 KiB on the wire.
     */
    int MAX_RECEIPT_IDS = 512;

    /** A text message. */
    record Text(String text) implements ChatContent {
        public Text {
            Objects.requireNonNull(text, "text");
            int bytes = Utf8.length(text);
            if (bytes > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("a message of " + bytes + " UTF-8 bytes exceeds the "
                        + MAX_TEXT_BYTES + "-byte limit");
            }
        }
    }

    /** Which receipt. */
    enum ReceiptKind { DELIVERED, READ }

    /** A receipt for messages this device received (delivered) or its user saw (read). */
    record Receipt(ReceiptKind kind, List<MessageId> messageIds) implements ChatContent {
        public Receipt {
            Objects.requireNonNull(kind, "kind");
            messageIds = List.copyOf(messageIds);
            if (messageIds.isEmpty() || messageIds.size() > MAX_RECEIPT_IDS) {
                throw new IllegalArgumentException("a receipt names 1 to " + MAX_RECEIPT_IDS + " messages, not "
                        + messageIds.size());
            }
        }
    }

    /** The one message a stranger may send: asks to become a contact. */
    record ContactRequest(String intro, Optional<String> displayName) implements ChatContent {
        public ContactRequest {
            Objects.requireNonNull(intro, "intro");
            Objects.requireNonNull(displayName, "displayName");
            int length = intro.codePointCount(0, intro.length());
            if (length > MAX_INTRO_LENGTH) {
                throw new IllegalArgumentException("an intro of " + length + " characters exceeds the "
                        + MAX_INTRO_LENGTH + "-character limit");
            }
            displayName.ifPresent(n -> {
                int l = n.codePointCount(0, n.length());
                if (n.isEmpty() || l > MAX_DISPLAY_NAME_LENGTH) {
                    throw new IllegalArgumentException("a display name has 1 to " + MAX_DISPLAY_NAME_LENGTH
                            + " characters, not " + l);
                }
            });
        }
    }

    /** The answer to a contact request. */
    record ContactResponse(boolean accepted) implements ChatContent {}

    /**
     * A file link's length in UTF-8 bytes: a link with a long name, a dozen peer addresses and the
     * key is under 4 KiB; 8 KiB leaves room and keeps the envelope far below the padding's largest bucket.
     */
    int MAX_FILE_LINK_BYTES = 8 * 1024;

    /** A file sent to the contact: its link, key included. What the link says is the node's business. */
    record FileOffer(String link) implements ChatContent {
        public FileOffer {
            Objects.requireNonNull(link, "link");
            int bytes = Utf8.length(link);
            if (link.isEmpty() || bytes > MAX_FILE_LINK_BYTES) {
                throw new IllegalArgumentException("a file link has 1 to " + MAX_FILE_LINK_BYTES + " UTF-8 bytes, not "
                        + bytes);
            }
        }
    }
}
