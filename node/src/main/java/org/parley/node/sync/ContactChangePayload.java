package org.parley.node.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.parley.chat.identity.InvalidUserIdException;
import org.parley.chat.identity.UserId;
import org.parley.chat.wire.ChatContent;
import org.parley.chat.wire.HlcTimestamp;
import org.parley.chat.wire.MessageId;
import org.parley.node.chat.ChatHistory;
import org.parley.node.contacts.ContactState;

/**
 * The sealed payload of a {@code contact.change} journal entry: one contact of the user as it is
 * after a change of consent or name, as JSON (identity and contact user IDs, {@code removed}, the
 * consent state, the local name, their display name, a pending request's intro, since version 2
 * when the change was made: {@code changedMillis} and {@code changedCounter}, a hybrid logical
 * clock reading, and since version 3 {@code request}, the envelope id in hex of the last contact
 * request known from the contact). Immutable; field names are the format, {@code v} its version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
record ContactChangePayload(int v, String identity, String contact, boolean removed, String state, String name,
        String displayName, String intro, Long changedMillis, Integer changedCounter, String request) {

    /**
     * The version written. Version 1 has no reading (its change applies whatever this device did
     * since, as it did before readings were kept); a later one adds fields, which this reader ignores.
     */
    static final int VERSION = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    static ContactChangePayload of(ChatHistory.ContactChange c) {
        return new ContactChangePayload(VERSION, c.identity().text(), c.contact().text(), c.removed(),
                c.state().wireName(), c.name().orElse(null), c.displayName().orElse(null), c.intro().orElse(null),
                c.changedAt().map(HlcTimestamp::physicalMillis).orElse(null),
                c.changedAt().map(HlcTimestamp::counter).orElse(null),
                c.request().map(MessageId::toString).orElse(null));
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
    static ContactChangePayload decode(byte[] payload) {
        try {
            return JSON.readValue(payload, ContactChangePayload.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a contact entry: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a contact entry: " + e.getMessage(), e);
        }
    }

    /** The change this payload describes, every field checked against the limits the chat sets. */
    ChatHistory.ContactChange change() {
        if (identity == null || contact == null || state == null) {
            throw new IllegalArgumentException("a contact entry lacks a field");
        }
        ContactState parsed;
        try {
            parsed = ContactState.ofWireName(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a contact entry names no consent state (" + state.length()
                    + " characters)");
        }
        checkLength("name", name, ChatContent.MAX_DISPLAY_NAME_LENGTH);
        checkLength("display name", displayName, ChatContent.MAX_DISPLAY_NAME_LENGTH);
        checkLength("intro", intro, ChatContent.MAX_INTRO_LENGTH);
        Optional<HlcTimestamp> changedAt = changedAt();
        Optional<MessageId> requestId = requestId();
        try {
            return new ChatHistory.ContactChange(UserId.parse(identity), UserId.parse(contact), removed, parsed,
                    Optional.ofNullable(name), Optional.ofNullable(displayName), Optional.ofNullable(intro), changedAt,
                    requestId);
        } catch (InvalidUserIdException e) {
            throw new IllegalArgumentException("a contact entry names a bad user ID: " + e.getMessage(), e);
        }
    }

    /** The last request's id: absent, or {@link MessageId#BYTES} bytes in hex. */
    private Optional<MessageId> requestId() {
        if (request == null) {
            return Optional.empty();
        }
        if (request.length() != 2 * MessageId.BYTES) {
            throw new IllegalArgumentException("a contact entry's request id is not " + MessageId.BYTES + " bytes");
        }
        try {
            return Optional.of(new MessageId(java.util.HexFormat.of().parseHex(request)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a contact entry's request id is not hex", e);
        }
    }

    /** The change's reading: both fields or neither, within the clock's range. */
    private Optional<HlcTimestamp> changedAt() {
        if (changedMillis == null && changedCounter == null) {
            return Optional.empty();
        }
        if (changedMillis == null || changedCounter == null) {
            throw new IllegalArgumentException("a contact entry has half of its change time");
        }
        if (changedCounter < 0 || changedCounter > HlcTimestamp.MAX_COUNTER) {
            throw new IllegalArgumentException("a contact entry's change counter is outside 0.." + HlcTimestamp.MAX_COUNTER);
        }
        try {
            return Optional.of(new HlcTimestamp(changedMillis, changedCounter));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a contact entry's change time is outside the clock's range", e);
        }
    }

    private static void checkLength(String field, String value, int maxCodePoints) {
        if (value != null && value.codePointCount(0, value.length()) > maxCodePoints) {
            throw new IllegalArgumentException("a contact entry's " + field + " has more than " + maxCodePoints
                    + " characters");
        }
    }
}
