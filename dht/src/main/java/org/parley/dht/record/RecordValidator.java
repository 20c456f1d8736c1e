package org.parley.dht.record;

import java.util.List;

/**
 * Decides whether a DHT record is valid and which of several valid values is best, for one key
 * namespace (or, composed, for all). Implementations are stateless and thread safe.
 */
public interface RecordValidator {

    /**
     * Checks that {@code value} is a valid value for {@code key}.
     *
     * @throws InvalidRecordException naming what is wrong
     */
    void validate(byte[] key, byte[] value) throws InvalidRecordException;

    /**
     * The index of the best of {@code values}, all already valid for {@code key}.
     *
     * @throws IllegalArgumentException if {@code values} is empty
     */
    int select(byte[] key, List<byte[]> values);
}
