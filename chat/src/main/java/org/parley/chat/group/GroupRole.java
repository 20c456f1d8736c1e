package org.parley.chat.group;

/** A member's role in a group. */
public enum GroupRole {
    /** May send, and leave. */
    MEMBER,
    /** May also add, remove, rename and promote. */
    ADMIN
}
