package org.parley.node.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A request about groups: {@code POST /api/groups} creates one ({@code name}, {@code members}:
 * contacts' user IDs or local names); {@code /api/groups/add}, {@code remove} and {@code promote}
 * name a {@code group} (id or name) and a {@code member}; {@code /api/groups/rename} a {@code group}
 * and a {@code name}; {@code /api/groups/leave} a {@code group}. {@code identity} is optional
 * everywhere. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupRequest(String identity, String group, String name, String member, List<String> members) {

    /** JSON field names. */
    public static final String GROUP = "group";
    public static final String NAME = "name";
    public static final String MEMBER = "member";
    public static final String MEMBERS = "members";
}
