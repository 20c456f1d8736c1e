package org.parley.node.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ConversationId;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;

/**
 * The sealed payload of a {@code group.message} journal entry: one group message as JSON (the
 * identity's and the sender's user IDs, group and message ids in hex, HLC, direction, text).
 * Immutable; field names are the format, {@code v} its version (a later one adds fields, which
 * this reader ignores).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record GroupEntryPayload(int v, String identity, String group, String sender, String id, long hlcMillis,
        int hlcCounter, boolean outgoing, String text) {

    /** The only version written. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    static GroupEntryPayload of(ChatHistory.KeptGroupMessage m) {
        return new GroupEntryPayload(VERSION, m.identity().text(), HEX.formatHex(m.group().bytes()),
                m.sender().text(), HEX.formatHex(m.id().bytes()), m.time().physicalMillis(), m.time().counter(),
                m.outgoing(), m.text());
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
    static GroupEntryPayload decode(byte[] payload) {
        try {
            return JSON.readValue(payload, GroupEntryPayload.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a group message entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a group message entry: " + e.getMessage(), e);
        }
    }

    /**
     * The message this payload describes, every field checked (the ids' lengths by their types;
     * the text's length when it is kept).
     */
    ChatHistory.KeptGroupMessage message() {
        if (identity == null || group == null || sender == null || id == null || text == null) {
            throw new IllegalArgumentException("a group message entry lacks a field");
        }
        try {
            return new ChatHistory.KeptGroupMessage(UserId.parse(identity), new ConversationId(HEX.parseHex(group)),
                    UserId.parse(sender), new MessageId(HEX.parseHex(id)), new HlcTimestamp(hlcMillis, hlcCounter),
                    outgoing, text);
        } catch (InvalidUserIdException e) {
            throw new IllegalArgumentException("a group message entry names a bad user ID: " + e.getMessage(), e);
        }
    }
}
