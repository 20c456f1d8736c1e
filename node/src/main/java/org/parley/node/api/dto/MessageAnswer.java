package org.parley.node.api.dto;

import java.util.List;

/**
 * One message: its id (32 hex digits), the contact, {@code outgoing} or {@code incoming}, the
 * hybrid logical clock time (milliseconds and counter) it is ordered by, the text, the state
 * ({@code pending}, {@code sent}, {@code delivered}, {@code read}, {@code failed}; {@code received}
 * or {@code read} for theirs), a failure's reason, and for a file offer the {@code file} (its link,
 * name and size; the text is then the name), else null; for a group message of ours, {@code
 * deliveredTo}: the members that told they hold it (absent otherwise). Immutable.
 */
public record MessageAnswer(String messageId, String contact, String direction, long hlcMillis, int hlcCounter,
        String text, String state, String failure, FileOfferAnswer file,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        List<String> deliveredTo) {

    /** A message without per-member receipts (a contact's, or a file offer). */
    public MessageAnswer(String messageId, String contact, String direction, long hlcMillis, int hlcCounter,
            String text, String state, String failure, FileOfferAnswer file) {
        this(messageId, contact, direction, hlcMillis, hlcCounter, text, state, failure, file, null);
    }

    /** A text message's answer. */
    public MessageAnswer(String messageId, String contact, String direction, long hlcMillis, int hlcCounter,
            String text, String state, String failure) {
        this(messageId, contact, direction, hlcMillis, hlcCounter, text, state, failure, null);
    }
}
