package org.parley.node.chat;

/**
 * A time for each message id, in primitive arrays, for {@link ChatBench}. The bench keeps a send
 * time and a delivered time for each of up to 60,000 messages a row; in maps of strings and boxed
 * longs that was about 15 MB live during a row, which every young collection copied (about 6 of
 * its 11 ms), so the bench's own bookkeeping showed in the node's latency. Keyed by the id's last
 * 8 bytes, which are random ({@link org.parley.chat.wire.MessageId#next}). Thread safe.
 */
final class MessageTimes {

    /** A slot no id takes: an id whose key is 0 is stored as 1 (a chance of 2^-64). */
    private static final long EMPTY = 0;
    /** The hex characters of a message id, of which the last 16 are the key. */
    private static final int ID_HEX = 32;

    private final long[] keys;
    private final long[] times;
    private final int mask;
    private int size;

    /** Room for {@code expected} ids at most half full. */
    MessageTimes(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        times = new long[capacity];
        mask = capacity - 1;
    }

    /** Records {@code nanos} for {@code messageId} unless it has a time; whether it was new. */
    synchronized boolean putIfAbsent(String messageId, long nanos) {
        long key = keyOf(messageId);
        int slot = slotOf(key);
        if (keys[slot] == key) {
            return false;
        }
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("more than " + keys.length / 2 + " message times");
        }
        keys[slot] = key;
        times[slot] = nanos;
        size++;
        return true;
    }

    /** The time of each id here minus its time in {@code earlier}, for the ids both hold. */
    synchronized long[] since(MessageTimes earlier) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                int there = earlier.find(keys[i]);
                if (there >= 0) {
                    out[n++] = times[i] - earlier.times[there];
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private synchronized int find(long key) {
        int slot = slotOf(key);
        return keys[slot] == key ? slot : -1;
    }

    /** The slot holding {@code key}, or the empty one where it goes (linear probing). */
    private int slotOf(long key) {
        int slot = (int) (key & mask); // the key's bits are random already
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long keyOf(String messageId) {
        if (messageId.length() != ID_HEX) {
            throw new IllegalArgumentException("not a message id: " + messageId);
        }
        long key = Long.parseUnsignedLong(messageId, ID_HEX - 16, ID_HEX, 16);
        return key == EMPTY ? 1 : key;
    }
}
