package org.parley.dht.query;

import java.util.Optional;

/**
 * The outcome of a value read.
 *
 * @param value the best valid value found
 * @param copies how many peers (ourselves included) held a valid value
 * @param corrected how many peers were sent the best value because they held none or a worse one
 */
public record GetValueResult(Optional<byte[]> value, int copies, int corrected, QueryStats stats) {

    public GetValueResult {
        value = value.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> value() {
        return value.map(byte[]::clone);
    }
}
