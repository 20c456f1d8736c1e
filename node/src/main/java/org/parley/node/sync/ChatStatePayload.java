package org.parley.node.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.chat.MessageState;

/**
 * The sealed payload of a {@code chat.state} journal entry: a message of the user moved to
 * delivered or read, as JSON (identity and contact user IDs, the message id in hex, the state).
 * Immutable; field names are the format, {@code v} its version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ChatStatePayload(int v, String identity, String contact, String id, String state) {

    /** The only version written; a later one adds fields, which this reader ignores. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    static ChatStatePayload of(ChatHistory.StateChange change) {
        return new ChatStatePayload(VERSION, change.identity().text(), change.contact().text(),
                HEX.formatHex(change.id().bytes()), change.state().wireName());
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
    static ChatStatePayload decode(byte[] payload) {
        try {
            return JSON.readValue(payload, ChatStatePayload.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a chat state entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a chat state entry: " + e.getMessage(), e);
        }
    }

    /** The change this payload describes, every field checked; only delivered and read are journaled. */
    ChatHistory.StateChange change() {
        if (identity == null || contact == null || id == null || state == null) {
            throw new IllegalArgumentException("a chat state entry lacks a field");
        }
        MessageState moved;
        try {
            moved = MessageState.ofWireName(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a chat state entry names no state: " + state.length() + " characters");
        }
        if (moved != MessageState.DELIVERED && moved != MessageState.READ) {
            throw new IllegalArgumentException("a chat state entry moves to " + moved.wireName()
                    + ", which is not journaled");
        }
        if (id.length() != MessageId.BYTES * 2) {
            throw new IllegalArgumentException("a chat state entry's message id is not " + MessageId.BYTES + " bytes");
        }
        try {
            return new ChatHistory.StateChange(UserId.parse(identity), UserId.parse(contact),
                    new MessageId(HEX.parseHex(id)), moved);
        } catch (InvalidUserIdException e) {
            throw new IllegalArgumentException("a chat state entry names a bad user ID: " + e.getMessage(), e);
        }
    }
}
