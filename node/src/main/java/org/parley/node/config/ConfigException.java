package org.parley.node.config;

/** A setting the user gave (in a file or on the command line) is wrong; the message says how. */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
