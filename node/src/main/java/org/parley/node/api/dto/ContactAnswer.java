package org.parley.node.api.dto;

/**
 * One contact: user ID, the local name we gave and the display name they gave, the label shown,
 * the state ({@code requested}, {@code pending}, {@code accepted}, {@code declined},
 * {@code blocked}), a pending request's intro, whether the safety number was verified, and
 * whether a different key was presented for them (sending held). Immutable.
 */
public record ContactAnswer(String userId, String name, String displayName, String label, String state, String intro,
        boolean verified, boolean keyWarning) {}
