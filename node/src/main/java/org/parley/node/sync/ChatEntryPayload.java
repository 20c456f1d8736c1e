package org.parley.node.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Optional;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.chat.MessageState;

/**
 * The sealed payload of a {@code chat.sent} or {@code chat.received} journal entry: one message
 * as JSON (identity and contact user IDs, message and conversation ids in hex, HLC, direction,
 * text, state, and for a file offer its {@code link}, absent for a text). Immutable; field names
 * are the format, {@code v} its version (a reader of version 1 that predates {@code link} skips
 * nothing: it ignores the field and shows the file's name as text).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChatEntryPayload(int v, String identity, String contact, String id, String conversation, long hlcMillis,
        int hlcCounter, boolean outgoing, String text, String state, String link) {

    /** The only version written; a later one adds fields, which this reader ignores. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    static ChatEntryPayload of(ChatHistory.KeptMessage m) {
        return new ChatEntryPayload(VERSION, m.identity().text(), m.contact().text(), HEX.formatHex(m.id().bytes()),
                HEX.formatHex(m.conversation().bytes()), m.time().physicalMillis(), m.time().counter(), m.outgoing(),
                m.text(), m.state().wireName(), m.fileLink().orElse(null));
    }

    byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a payload.
     *
     * @throws IllegalArgumentException naming what is wrong, for a payload that is not one of these
     */
    static ChatEntryPayload decode(byte[] payload) {
        try {
            return JSON.readValue(payload, ChatEntryPayload.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a chat entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a chat entry: " + e.getMessage(), e);
        }
    }

    /** The message this payload describes, every field checked. */
    ChatHistory.KeptMessage message() {
        if (identity == null || contact == null || id == null || conversation == null || text == null
                || state == null) {
            throw new IllegalArgumentException("a chat entry lacks a field");
        }
        if (link != null && (link.isEmpty() || link.length() > ChatContent.MAX_FILE_LINK_BYTES)) {
            throw new IllegalArgumentException("a chat entry's file link has 1 to " + ChatContent.MAX_FILE_LINK_BYTES
                    + " bytes, not " + link.length() + " characters");
        }
        try {
            return new ChatHistory.KeptMessage(UserId.parse(identity), UserId.parse(contact),
                    new MessageId(HEX.parseHex(id)), new ConversationId(HEX.parseHex(conversation)),
                    new HlcTimestamp(hlcMillis, hlcCounter), outgoing, text, MessageState.ofWireName(state),
                    Optional.ofNullable(link));
        } catch (InvalidUserIdException e) {
            throw new IllegalArgumentException("a chat entry names a bad user ID: " + e.getMessage(), e);
        }
    }
}
