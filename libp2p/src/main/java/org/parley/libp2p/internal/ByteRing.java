package org.parley.libp2p.internal;

/**
 * A byte queue in a ring that grows on demand up to a fixed bound: the buffer behind in-memory
 * pipes and yamux stream receive windows, where most instances stay small and a few fill up.
 *
 * <p>Not thread safe: the owner guards every call with its own lock. One producer and one
 * consumer may however copy without that lock: the producer {@link #reserve reserves} space and
 * fills the region starting at {@link #writeIndex()}, the consumer copies the region starting at
 * {@link #readIndex()}, and each takes the lock again only to {@link #commitWrite commit}. The two
 * regions never overlap, and growing (which only the producer does, under the lock) keeps the
 * bytes a consumer may be copying from the old array intact.
 */
public final class ByteRing {

    /** Small enough that thousands of idle pipes and streams cost little; grows by doubling. */
    public static final int INITIAL_CAPACITY = 4096;

    private final int maxCapacity;
    private byte[] buffer;
    private int head;
    private int size;

    /** A ring that holds at most {@code maxCapacity} bytes and starts small. */
    public ByteRing(int maxCapacity) {
        if (maxCapacity <= 0) {
            throw new IllegalArgumentException("ring capacity must be positive, got " + maxCapacity);
        }
        this.maxCapacity = maxCapacity;
        this.buffer = new byte[Math.min(INITIAL_CAPACITY, maxCapacity)];
    }

    /** Committed bytes waiting for the consumer. */
    public int size() {
        return size;
    }

    /** How many more bytes the producer may reserve (the bound, not the current array). */
    public int free() {
        return maxCapacity - size;
    }

    public int maxCapacity() {
        return maxCapacity;
    }

    /** The array the indexes refer to; it changes when the ring grows. */
    public byte[] array() {
        return buffer;
    }

    /** Index of the oldest committed byte. */
    public int readIndex() {
        return head;
    }

    /** Index where the next reserved byte goes. */
    public int writeIndex() {
        int index = head + size;
        return index >= buffer.length ? index - buffer.length : index;
    }

    /** Length of the array; positions wrap around at this value. */
    public int capacity() {
        return buffer.length;
    }

    /**
     * Makes room for {@code n} more bytes after the committed ones, growing the array if needed.
     * After this call the producer may fill {@code n} bytes from {@link #writeIndex()} (wrapping at
     * {@link #capacity()}) and then {@link #commitWrite(int)} them.
     */
    public void reserve(int n) {
        if (n > free()) {
            throw new IllegalStateException(
                    "cannot reserve " + n + " bytes in a ring with " + free() + " of " + maxCapacity + " free");
        }
        if (size == 0) {
            // Start over at the front: a ring that drains often then keeps reusing the same few
            // cache-warm bytes instead of walking the whole array. Safe here: no consumer copies
            // while nothing is committed, and the producer is not filling while it reserves.
            head = 0;
        }
        int needed = size + n;
        if (needed <= buffer.length) {
            return;
        }
        int newCapacity = buffer.length;
        while (newCapacity < needed) {
            newCapacity = (int) Math.min((long) newCapacity * 2, maxCapacity);
        }
        byte[] grown = new byte[newCapacity];
        copyOut(buffer, head, grown, 0, size);
        buffer = grown;
        head = 0;
    }

    public void commitWrite(int n) {
        size += n;
    }

    public void commitRead(int n) {
        if (n > size) {
            throw new IllegalStateException("cannot consume " + n + " of " + size + " bytes");
        }
        size -= n;
        head += n;
        if (head >= buffer.length) {
            head -= buffer.length;
        }
    }

    /** Reserves, copies and commits {@code n} bytes in one step (for callers that hold the lock). */
    public void write(byte[] src, int offset, int n) {
        reserve(n);
        copyIn(src, offset, buffer, writeIndex(), n);
        size += n;
    }

    /** Copies and consumes up to {@code n} committed bytes; returns how many. */
    public int read(byte[] dst, int offset, int n) {
        int count = Math.min(n, size);
        copyOut(buffer, head, dst, offset, count);
        commitRead(count);
        return count;
    }

    /**
     * Forgets every committed byte and returns the array to its initial size. The owner must make
     * sure no producer is filling a reservation, or must ignore that producer's commit.
     */
    public void clear() {
        head = 0;
        size = 0;
        if (buffer.length > INITIAL_CAPACITY) {
            buffer = new byte[Math.min(INITIAL_CAPACITY, maxCapacity)];
        }
    }

    /** Copies {@code n} bytes of {@code ring} starting at {@code index} (wrapping) into {@code dst}. */
    public static void copyOut(byte[] ring, int index, byte[] dst, int offset, int n) {
        int first = Math.min(n, ring.length - index);
        System.arraycopy(ring, index, dst, offset, first);
        if (first < n) {
            System.arraycopy(ring, 0, dst, offset + first, n - first);
        }
    }

    /** Copies {@code n} bytes of {@code src} into {@code ring} starting at {@code index} (wrapping). */
    public static void copyIn(byte[] src, int offset, byte[] ring, int index, int n) {
        int first = Math.min(n, ring.length - index);
        System.arraycopy(src, offset, ring, index, first);
        if (first < n) {
            System.arraycopy(src, offset + first, ring, 0, n - first);
        }
    }
}
