package org.parley.chat.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.chat.identity.UserId;

/**
 * What one chat envelope says. Sealed: a new kind of content is a new record here and a new
 * protobuf field. Every limit is checked here, so a record that exists is
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

    /**
     * Signed group operations in one envelope: a new member gets the whole chain in runs of at most
     * this many. 128 operations of at most a few hundred bytes each stay well inside one envelope.
     */
    int MAX_GROUP_OPS = 128;

    /**
     * One encoded signed group operation: a create naming the largest group (512 members of 35
     * bytes) is about 18 KiB; 24 KiB leaves room for the rest of it.
     */
    int MAX_GROUP_OP_BYTES = 24 * 1024;

    /**
     * A group's sender-key payload: a distribution is under 200 bytes; a ciphertext holds an
     * envelope padded to at most 16 KiB (a group text is at most {@link #MAX_GROUP_TEXT_BYTES}) plus
     * libsignal's signature and header; 17 KiB bounds both.
     */
    int MAX_GROUP_PAYLOAD_BYTES = 17 * 1024;

    /**
     * Text of one group message, in UTF-8 bytes: its envelope is padded to the 16 KiB bucket, so the
     * sender-key ciphertext fits with room to spare inside the pairwise envelope that carries it.
     */
    int MAX_GROUP_TEXT_BYTES = 15 * 1024;

    /**
     * Members one group ciphertext asks its receiver to pass it on to: every member but the author
     * and the receiver of the largest group (512); 510 keys of 35 bytes beside a 17 KiB payload
     * stay inside one envelope.
     */
    int MAX_GROUP_RELAY_TARGETS = 510;

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

        /** The text's length in UTF-8 bytes, counted without encoding it. */
        public int utf8Length() {
            return Utf8.length(text);
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
     * A contiguous run of a group's signed operations (hash chain), oldest first, each as the exact
     * bytes that were signed over and hashed; {@code org.parley.chat.group.GroupOpCodec} reads them.
     */
    record GroupOps(ConversationId group, List<byte[]> ops) implements ChatContent {
        public GroupOps {
            Objects.requireNonNull(group, "group");
            ops = ops.stream().map(byte[]::clone).toList();
            if (ops.isEmpty() || ops.size() > MAX_GROUP_OPS) {
                throw new IllegalArgumentException("group operations come 1 to " + MAX_GROUP_OPS + " at a time, not "
                        + ops.size());
            }
            for (byte[] op : ops) {
                if (op.length == 0 || op.length > MAX_GROUP_OP_BYTES) {
                    throw new IllegalArgumentException("a group operation of " + op.length + " bytes is outside 1.."
                            + MAX_GROUP_OP_BYTES);
                }
            }
        }

        @Override
        public List<byte[]> ops() {
            return ops.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof GroupOps g) || !group.equals(g.group) || ops.size() != g.ops.size()) {
                return false;
            }
            for (int i = 0; i < ops.size(); i++) {
                if (!Arrays.equals(ops.get(i), g.ops.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = group.hashCode();
            for (byte[] op : ops) {
                h = 31 * h + Arrays.hashCode(op);
            }
            return h;
        }
    }

    /** What a {@link GroupMessage} carries. */
    enum GroupPayloadKind {
        /** A libsignal SenderKeyDistributionMessage: the origin's sender key for the group's current epoch. */
        SENDER_KEY,
        /** A libsignal SenderKeyMessage: a group envelope encrypted with the origin's sender key. */
        CIPHERTEXT,
        /**
         * A delivered receipt from the origin to a message's author: the ids ({@link MessageId#BYTES}
         * each, 1 to {@link #MAX_RECEIPT_IDS}) of the author's group messages the origin now holds.
         * It goes over the pairwise session, never relayed.
         */
        DELIVERED
    }

    /**
     * A group's sender-key traffic from {@code origin}'s device {@code originDevice}: a distribution
     * (only ever from the origin itself) or a ciphertext (possibly relayed by another member); a
     * ciphertext from its author may name members it could not reach ({@code relayTo}), for the
     * receiver to pass it on to.
     */
    record GroupMessage(ConversationId group, UserId origin, int originDevice, GroupPayloadKind kind, byte[] payload,
            List<UserId> relayTo) implements ChatContent {

        /** A message that asks for no relay. */
        public GroupMessage(ConversationId group, UserId origin, int originDevice, GroupPayloadKind kind,
                byte[] payload) {
            this(group, origin, originDevice, kind, payload, List.of());
        }

        public GroupMessage {
            relayTo = List.copyOf(relayTo);
            if (relayTo.size() > MAX_GROUP_RELAY_TARGETS) {
                throw new IllegalArgumentException("a group message asks for at most " + MAX_GROUP_RELAY_TARGETS
                        + " relays, not " + relayTo.size());
            }
            if (!relayTo.isEmpty() && kind != GroupPayloadKind.CIPHERTEXT) {
                throw new IllegalArgumentException("only a ciphertext is relayed; a sender key comes from its owner");
            }
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(kind, "kind");
            if (originDevice < 1 || originDevice > ChatFrame.MAX_DEVICE_ID) {
                throw new IllegalArgumentException("device number " + originDevice + " is outside 1.."
                        + ChatFrame.MAX_DEVICE_ID);
            }
            if (payload.length == 0 || payload.length > MAX_GROUP_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("a group payload of " + payload.length + " bytes is outside 1.."
                        + MAX_GROUP_PAYLOAD_BYTES);
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupMessage m && group.equals(m.group) && origin.equals(m.origin)
                    && originDevice == m.originDevice && kind == m.kind && Arrays.equals(payload, m.payload)
                    && relayTo.equals(m.relayTo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(group, origin, originDevice, kind, Arrays.hashCode(payload), relayTo);
        }

        /** The same message without its relay request: what a relay passes on. */
        public GroupMessage withoutRelays() {
            return new GroupMessage(group, origin, originDevice, kind, payload, List.of());
        }
    }

    /**
     * A dummy of cover traffic: padded to the smallest bucket and encrypted in the real session
     * like a short text, so an observer of the link cannot tell when a real message went; the
     * receiver drops it unseen.
     */
    record Cover() implements ChatContent {}

    /**
     * A file link's length in UTF-8 bytes: a link with a long name, a dozen peer addresses and the
     * key is under 4 KiB; 8 KiB leaves room and keeps the envelope far below the padding's largest bucket.
     */
    int MAX_FILE_LINK_BYTES = 8 * 1024;

    /**
     * Texts in one batch: a burst of queued texts to one device travels as one encrypted frame,
     * so the ratchet step, the frame and its ack are paid once per batch. 64 short texts are about
     * 17 KiB on the wire.
     */
    int MAX_BATCH_TEXTS = 64;

    /**
     * The texts of one batch together, in UTF-8 bytes: with each text's envelope fields (under 80
     * bytes each) the batch stays inside the largest padding bucket. A longer text goes alone.
     */
    int MAX_BATCH_TEXT_BYTES = 48 * 1024;

    /**
     * Several text messages of one conversation in one envelope, in order: each keeps its own id and
     * timestamp, and the receiver keeps and acknowledges them as if they had come one by one. Only
     * texts are batched, never a batch.
     */
    record Batch(List<ChatEnvelope> envelopes) implements ChatContent {
        public Batch {
            Objects.requireNonNull(envelopes, "envelopes");
            if (envelopes.size() < 2 || envelopes.size() > MAX_BATCH_TEXTS) {
                throw new IllegalArgumentException("a batch holds 2 to " + MAX_BATCH_TEXTS + " texts, not "
                        + envelopes.size());
            }
            envelopes = List.copyOf(envelopes);
            long bytes = 0;
            ConversationId conversation = envelopes.getFirst().conversation();
            for (ChatEnvelope e : envelopes) {
                if (!(e.content() instanceof Text t)) {
                    throw new IllegalArgumentException("a batch holds texts only, not " + e.content().getClass()
                            .getSimpleName());
                }
                if (!e.conversation().equals(conversation)) {
                    throw new IllegalArgumentException("the texts of a batch belong to one conversation");
                }
                bytes += t.utf8Length();
            }
            if (bytes > MAX_BATCH_TEXT_BYTES) {
                throw new IllegalArgumentException("a batch's texts have at most " + MAX_BATCH_TEXT_BYTES
                        + " UTF-8 bytes together, not " + bytes);
            }
        }
    }

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
