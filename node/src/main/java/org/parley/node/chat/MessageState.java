package org.parley.node.chat;

import java.util.Locale;

/**
 * Where one message stands. Ours go pending (persisted, not yet acknowledged by a device), sent
 * (a device of the contact acknowledged it), delivered (their receipt came back), read; or failed
 * with a reason. Theirs are received, then read once shown. States only move forward.
 */
public enum MessageState {
    PENDING(0), SENT(1), DELIVERED(2), READ(3), FAILED(1), RECEIVED(0);

    private final int rank;

    MessageState(int rank) {
        this.rank = rank;
    }

    /** Whether a message in this state may move to {@code next}. */
    public boolean canMoveTo(MessageState next) {
        if (this == FAILED || next == PENDING || next == RECEIVED) {
            return false;
        }
        return next.rank > rank;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageState ofWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
