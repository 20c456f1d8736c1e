package org.parley.node.contacts;

import java.util.Locale;

/** Where a contact stands with a local identity: the consent rules follow from it. */
public enum ContactState {
    /** We sent a contact request; nothing from them is shown until they accept. */
    REQUESTED,
    /** They sent a contact request (their intro is kept); nothing else from them is stored. */
    PENDING,
    /** Both sides agreed: messages flow. */
    ACCEPTED,
    /** We (or they) declined: only the decision is kept, and their later requests are dropped. */
    DECLINED,
    /** Blocked: everything from them is dropped silently until unblocked. */
    BLOCKED;

    /** The lower-case name the API and the database use. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContactState ofWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
