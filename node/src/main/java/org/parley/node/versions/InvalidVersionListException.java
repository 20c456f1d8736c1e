package org.parley.node.versions;

/** An unsafe-version list that cannot be used: malformed, over a limit, or not signed by the pinned key. */
public final class InvalidVersionListException extends Exception {

    public InvalidVersionListException(String message) {
        super(message);
    }

    public InvalidVersionListException(String message, Throwable cause) {
        super(message, cause);
    }
}
