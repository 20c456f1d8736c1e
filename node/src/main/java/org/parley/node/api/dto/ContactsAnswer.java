package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code GET /api/contacts} and {@code GET /api/requests}: the contacts (or pending requests) of one
 * identity; for requests also the group invitations waiting for accept or decline ({@code groups},
 * absent for contacts). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContactsAnswer(String identity, List<ContactAnswer> contacts, List<GroupAnswer> groups) {

    public ContactsAnswer(String identity, List<ContactAnswer> contacts) {
        this(identity, contacts, null);
    }
}
