package org.parley.node.cli;

/** A CLI command failed; the message is printed as it is, so it says what to do. */
public final class CliException extends Exception {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
