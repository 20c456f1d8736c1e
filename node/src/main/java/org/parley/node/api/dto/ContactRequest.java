package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request about one contact: {@code POST /api/contacts} (add: {@code contact} is a user ID or an
 * invite link, with optional {@code intro} and {@code name}) and the actions
 * ({@code /api/contacts/accept}, {@code decline}, {@code block}, {@code unblock}, {@code remove},
 * {@code verify}, {@code safety-number}: {@code contact} is a user ID or a local name).
 * {@code identity} is optional everywhere (the default identity). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContactRequest(String identity, String contact, String intro, String name) {

    /** JSON field names. */
    public static final String IDENTITY = "identity";
    public static final String CONTACT = "contact";
    public static final String INTRO = "intro";
    public static final String NAME = "name";
}
