package org.parley.node.service;

/**
 * A node service refused or could not do what it was asked, in a way its caller (the API, the CLI,
 * another feature) reports to the user: the {@link Kind} says whose fault it is, the message says
 * what was wrong and what to do. It carries no stack trace into logs or answers: it is an
 * expected outcome, not a bug. Immutable.
 */
public final class ServiceException extends RuntimeException {

    /** Why the request failed; the API maps each kind to one HTTP status. */
    public enum Kind {
        /** The input was wrong (a bad PeerId, the node's own address, a count out of range). */
        BAD_INPUT,
        /** The thing asked for does not exist or was not found (a record, a peer, a user). */
        NOT_FOUND,
        /** A remote peer could not be reached or broke the protocol. */
        UNREACHABLE,
        /** The node cannot do it now (no DHT peers yet, connection limit reached). */
        UNAVAILABLE
    }

    private final Kind kind;

    public ServiceException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ServiceException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public static ServiceException badInput(String message) {
        return new ServiceException(Kind.BAD_INPUT, message);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, message);
    }

    public Kind kind() {
        return kind;
    }
}
