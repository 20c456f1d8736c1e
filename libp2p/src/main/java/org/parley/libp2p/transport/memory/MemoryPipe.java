package org.parley.libp2p.transport.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.internal.ByteRing;

/**
 * Two connected in-memory {@link Duplex} ends that behave like a socket pair: bounded buffers,
 * blocking reads and writes, end-of-stream after the other end closes or shuts down its output.
 *
 * <p>Threading: as for {@link Duplex}; in addition concurrent readers (or writers) of one end are
 * serialized rather than corrupting each other. {@link End#close()} wakes every blocked reader and
 * writer of both ends that can no longer make progress.
 */
public final class MemoryPipe {

    /**
     * Bytes buffered per direction, like a socket buffer: large enough that a bulk writer and
     * reader rarely wait for each other, bounded so that a stalled reader pushes back on the
     * writer. Buffers start small and grow only while data actually queues up.
     */
    public static final int DEFAULT_BUFFER_SIZE = 256 * 1024;

    /**
     * Copies up to this size happen under the lock; larger ones happen outside it, so that the
     * writer and the reader of one direction copy at the same time.
     */
    static final int LOCKED_COPY_LIMIT = 4096;

    private MemoryPipe() {}

    /** Two connected ends with the default buffer size. */
    public static Pair pair() {
        return pair(DEFAULT_BUFFER_SIZE);
    }

    /** Two connected ends; each direction buffers at most {@code bufferSize} bytes. */
    public static Pair pair(int bufferSize) {
        Channel toResponder = new Channel(bufferSize);
        Channel toInitiator = new Channel(bufferSize);
        return new Pair(new End(toInitiator, toResponder), new End(toResponder, toInitiator));
    }

    /**
     * The two ends of a pipe, named after the roles they usually play in a connection.
     * {@link #close()} closes both.
     */
    public record Pair(End initiator, End responder) implements AutoCloseable {
        @Override
        public void close() {
            initiator.close();
            responder.close();
        }
    }

    /** One end of a pipe: reads what the other end writes and vice versa. Thread safe. */
    public static final class End implements Duplex {

        private final Channel inbound;
        private final Channel outbound;
        private final InputStream in = new PipeInputStream();
        private final OutputStream out = new PipeOutputStream();

        private End(Channel inbound, Channel outbound) {
            this.inbound = inbound;
            this.outbound = outbound;
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        /**
         * Ends our writing direction: the other end reads what is buffered, then end-of-stream,
         * while we can still read. Like {@link java.net.Socket#shutdownOutput()}. Idempotent.
         */
        public void shutdownOutput() {
            outbound.closeWriter();
        }

        /**
         * Closes both directions: the other end reads what is buffered, then end-of-stream, and its
         * writes fail; our own reads and writes fail with {@link ConnectionClosedException}.
         */
        @Override
        public void close() {
            outbound.closeWriter();
            inbound.closeReader();
        }

        private final class PipeInputStream extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return inbound.read(b, off, len);
            }

            @Override
            public int available() {
                return inbound.available();
            }

            @Override
            public void close() {
                End.this.close();
            }
        }

        private final class PipeOutputStream extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                outbound.write(b, off, len);
            }

            @Override
            public void close() {
                shutdownOutput();
            }
        }
    }

    /** One direction of the pipe: a bounded ring with a lock and two conditions. */
    private static final class Channel {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition readable = lock.newCondition();
        private final Condition writable = lock.newCondition();
        /** Serialize readers (and writers) so that copies outside {@link #lock} stay consistent. */
        private final ReentrantLock readerMutex = new ReentrantLock();
        private final ReentrantLock writerMutex = new ReentrantLock();
        private final ByteRing ring;
        private boolean writerClosed;
        private boolean readerClosed;
        private boolean readerWaiting;
        private boolean writerWaiting;

        Channel(int bufferSize) {
            this.ring = new ByteRing(bufferSize);
        }

        int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            readerMutex.lock();
            try {
                byte[] array;
                int index;
                int n;
                lock.lock();
                try {
                    while (true) {
                        if (readerClosed) {
                            throw new ConnectionClosedException("memory pipe is closed");
                        }
                        if (ring.size() > 0) {
                            break;
                        }
                        if (writerClosed) {
                            return -1;
                        }
                        readerWaiting = true;
                        await(readable);
                    }
                    n = Math.min(len, ring.size());
                    if (n <= LOCKED_COPY_LIMIT) {
                        ring.read(b, off, n);
                        wakeWriter();
                        return n;
                    }
                    array = ring.array();
                    index = ring.readIndex();
                } finally {
                    lock.unlock();
                }
                ByteRing.copyOut(array, index, b, off, n);
                lock.lock();
                try {
                    ring.commitRead(n);
                    wakeWriter();
                } finally {
                    lock.unlock();
                }
                return n;
            } finally {
                readerMutex.unlock();
            }
        }

        void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            writerMutex.lock();
            try {
                while (len > 0) {
                    byte[] array;
                    int index;
                    int n;
                    lock.lock();
                    try {
                        while (true) {
                            if (writerClosed) {
                                throw new ConnectionClosedException("memory pipe is closed for writing");
                            }
                            if (readerClosed) {
                                throw new ConnectionClosedException("memory pipe was closed by the peer");
                            }
                            if (ring.free() > 0) {
                                break;
                            }
                            writerWaiting = true;
                            await(writable);
                        }
                        n = Math.min(len, ring.free());
                        ring.reserve(n);
                        if (n <= LOCKED_COPY_LIMIT) {
                            ByteRing.copyIn(b, off, ring.array(), ring.writeIndex(), n);
                            ring.commitWrite(n);
                            wakeReader();
                            off += n;
                            len -= n;
                            continue;
                        }
                        array = ring.array();
                        index = ring.writeIndex();
                    } finally {
                        lock.unlock();
                    }
                    ByteRing.copyIn(b, off, array, index, n);
                    lock.lock();
                    try {
                        ring.commitWrite(n);
                        wakeReader();
                    } finally {
                        lock.unlock();
                    }
                    off += n;
                    len -= n;
                }
            } finally {
                writerMutex.unlock();
            }
        }

        int available() {
            lock.lock();
            try {
                return readerClosed ? 0 : ring.size();
            } finally {
                lock.unlock();
            }
        }

        void closeWriter() {
            lock.lock();
            try {
                writerClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void closeReader() {
            lock.lock();
            try {
                readerClosed = true;
                readable.signalAll();
                writable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private void wakeReader() {
            if (readerWaiting) {
                readerWaiting = false;
                readable.signal();
            }
        }

        private void wakeWriter() {
            if (writerWaiting) {
                writerWaiting = false;
                writable.signal();
            }
        }

        /** Waits on {@code condition}; an interrupt becomes an {@link InterruptedIOException}. */
        private static void await(Condition condition) throws InterruptedIOException {
            try {
                condition.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on a memory pipe");
            }
        }
    }
}
