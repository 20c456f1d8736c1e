package org.parley.node.api.dto;

/**
 * {@code POST /api/messages/read}: marks the messages {@code contact} sent up to and including
 * {@code upTo} (a message id) read, and sends them the read receipts. Immutable.
 */
public record ReadRequest(String identity, String contact, String upTo) {

    /** JSON field name. */
    public static final String UP_TO = "upTo";
}
