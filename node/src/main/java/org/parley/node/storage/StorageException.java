package org.parley.node.storage;

import java.io.IOException;

/**
 * The node's storage ({@code parley.db} or {@code storage.key}) cannot be used as it is; the
 * message says what is wrong and what the user can do. The node stops without changing either
 * file: they hold the user's data, so nothing is moved aside, replaced or migrated down.
 */
public final class StorageException extends IOException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
