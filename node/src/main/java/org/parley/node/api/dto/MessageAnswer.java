package org.parley.node.api.dto;

/**
 * One message: its id (32 hex digits), the contact, {@code outgoing} or {@code incoming}, the
 * hybrid logical clock time (milliseconds and counter) it is ordered by, the text, the state
 * ({@code pending}, {@code sent}, {@code delivered}, {@code read}, {@code failed}; {@code received}
 * or {@code read} for theirs) and a failure's reason. Immutable.
 */
public record MessageAnswer(String messageId, String contact, String direction, long hlcMillis, int hlcCounter,
        String text, String state, String failure) {}
