package org.parley.node.api.dto;

/**
 * One contact: user ID, the local name we gave and the display name they gave, the label shown,
 * the state ({@code requested}, {@code pending}, {@code accepted}, {@code declined},
 * {@code blocked}), a pending request's intro, whether the safety number was verified, whether a
 * different key was presented for them (sending held), the client version their device announced
 * (null until known), and the warning when the unsafe-version list flags that version (null
 * otherwise). Immutable.
 */
public record ContactAnswer(String userId, String name, String displayName, String label, String state, String intro,
        boolean verified, boolean keyWarning, String clientVersion, String versionWarning) {}
