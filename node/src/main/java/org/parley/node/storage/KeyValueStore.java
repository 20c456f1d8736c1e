package org.parley.node.storage;

import java.util.Optional;

/**
 * Small values by key within one namespace (a feature's settings, a draft): the pattern every
 * store follows. A feature or protocol module declares an interface like this one in its own
 * terms (no JDBC, no SQL); the node implements it on its database ({@link SqliteKeyValueStore}),
 * encrypting what must not reach the disk in plaintext. Implementations are thread safe.
 */
public interface KeyValueStore {

    /**
     * The longest key in characters: keys are names chosen by code, a few dozen characters; the
     * limit keeps a caller's mistake from filling the primary-key index.
     */
    int MAX_KEY_CHARS = 256;
    /**
     * The largest value: 1 MiB, for settings and drafts. Messages and files have their own stores
     * and tables; a value this large here is a caller's mistake.
     */
    int MAX_VALUE_BYTES = 1024 * 1024;

    /** The value stored under {@code key}, if any. */
    Optional<byte[]> get(String key) throws StorageException;

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    void put(String key, byte[] value) throws StorageException;

    /** Removes {@code key}; whether it was there. */
    boolean delete(String key) throws StorageException;
}
