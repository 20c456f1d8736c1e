package org.parley.dht.record;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The value records this node holds as a DHT server. Values are validated by the caller before
 * they get here; the store only keeps them, bounded in count and age. Thread safe.
 */
public final class RecordStore {

    /** A stored value and when we received it (the wire's {@code timeReceived}). */
    public record StoredRecord(byte[] key, byte[] value, Instant receivedAt) {
        public StoredRecord {
            key = key.clone();
            value = value.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    private final Duration expiry;
    private final int maxRecords;
    private final Map<ByteBuffer, StoredRecord> records = new HashMap<>();

    public RecordStore(Duration expiry, int maxRecords) {
        this.expiry = expiry;
        this.maxRecords = maxRecords;
    }

    /** The live record under {@code key}, if any. */
    public synchronized Optional<StoredRecord> get(byte[] key, Instant now) {
        StoredRecord r = records.get(ByteBuffer.wrap(key));
        if (r == null || r.receivedAt().isBefore(now.minus(expiry))) {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /**
     * Stores {@code value} under {@code key}, replacing what was there.
     *
     * @return false if the store is full of live records and {@code key} is new
     */
    public synchronized boolean put(byte[] key, byte[] value, Instant now) {
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        if (!records.containsKey(k) && records.size() >= maxRecords) {
            expire(now);
            if (records.size() >= maxRecords) {
                return false;
            }
        }
        records.put(k, new StoredRecord(key, value, now));
        return true;
    }

    /** Drops records older than the expiry; returns how many. */
    public synchronized int expire(Instant now) {
        Instant expiredBefore = now.minus(expiry);
        int removed = 0;
        for (Iterator<StoredRecord> it = records.values().iterator(); it.hasNext(); ) {
            if (it.next().receivedAt().isBefore(expiredBefore)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    public synchronized int size() {
        return records.size();
    }
}
