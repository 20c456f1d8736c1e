package org.parley.node.api.dto;

/**
 * A one-time device link code: its text (for {@code --link}), when it expires (ISO-8601), and the
 * same text as a QR code (SVG). Immutable; serialized by Jackson, field names are the API's contract.
 */
public record LinkCodeAnswer(String code, String expires, String qrSvg) {}
