package org.parley.libp2p.yamux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.internal.ByteRing;

/**
 * One yamux stream: a receive buffer bounded by the stream's window, the send credit, and the
 * half-close and reset state.
 *
 * <p>Threading: as for {@link MuxedStream}, one reader and one writer at a time; the session's
 * reader thread delivers data and flags concurrently, and {@link #close()}, {@link #closeWrite()}
 * and {@link #reset()} may come from any thread. The stream's lock is never held while waiting for
 * the connection, so the session's reader never waits for an application thread.
 */
final class YamuxStream implements MuxedStream {

    /**
     * Reads up to this size copy under the lock; larger ones copy outside it, so that the session's
     * reader can keep filling the buffer meanwhile.
     */
    static final int LOCKED_COPY_LIMIT = 4096;

    /** What the session's reader does with the payload of a DATA frame. */
    enum Delivery {
        /**
         * Read it into {@link #fillArray()} from {@link #fillIndex()} on (wrapping at its end),
         * {@link #commitReceived} each part, then call {@link #endReceive}.
         */
        DELIVER,
        /** Nobody will read it: skip it. */
        DISCARD,
        /** The peer sent data after its FIN: skip it and reset the stream. */
        DISCARD_AFTER_FIN
    }

    private final YamuxSession session;
    private final int id;
    private final boolean inbound;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    /** Serializes readers so that a copy outside {@link #lock} stays consistent. */
    private final ReentrantLock readerMutex = new ReentrantLock();
    private final InputStream in = new StreamInput();
    private final OutputStream out = new StreamOutput();

    // Everything below is guarded by lock.
    private final ByteRing received;
    private final YamuxReceiveWindow receiveWindow;
    /**
     * The largest send window: the window is a 32-bit unsigned number in go-yamux and js-yamux, so
     * a peer that grants more has lost count (or wraps our count around) and breaks the protocol.
     */
    static final long MAX_SEND_WINDOW = YamuxFrame.MAX_LENGTH;

    private long sendCredit = YamuxConfig.INITIAL_STREAM_WINDOW;
    /** Outbound and not yet ACKed: holds one of the session's SYN slots. */
    private boolean awaitingAck;
    private boolean writeClosed;
    private boolean remoteWriteClosed;
    private boolean readClosed;
    /** Why the stream failed: a reset, or the end of the session. */
    private Libp2pException failure;
    private boolean readerWaiting;
    private boolean writerWaiting;
    /** Written under the lock by the session's reader thread, which alone reads them afterwards. */
    private byte[] fillArray;
    private int fillIndex;

    YamuxStream(YamuxSession session, int id, boolean inbound, int maxWindow, long nowNanos) {
        this.session = session;
        this.id = id;
        this.inbound = inbound;
        this.awaitingAck = !inbound;
        this.received = new ByteRing(maxWindow);
        this.receiveWindow = new YamuxReceiveWindow(maxWindow, nowNanos);
    }

    @Override
    public long id() {
        return Integer.toUnsignedLong(id);
    }

    int wireId() {
        return id;
    }

    boolean isInbound() {
        return inbound;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void closeWrite() {
        lock.lock();
        try {
            if (writeClosed || failure != null) {
                return;
            }
            writeClosed = true;
            writable.signalAll();
            if (remoteWriteClosed || readClosed) {
                session.unregister(this);
            }
        } finally {
            lock.unlock();
        }
        session.sendControl(YamuxFrame.windowUpdate(id, YamuxFrame.FIN, 0));
    }

    /**
     * Sends our FIN and stops reading: data still buffered or arriving later is dropped, without
     * returning window credit, as go-yamux does.
     */
    @Override
    public void close() {
        boolean writing;
        lock.lock();
        try {
            if (!readClosed) {
                readClosed = true;
                readable.signalAll();
            }
            writing = !writeClosed && failure == null;
        } finally {
            lock.unlock();
        }
        if (writing) {
            closeWrite();
        } else {
            session.unregister(this);
        }
    }

    @Override
    public void reset() {
        boolean registered;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = new StreamResetException("yamux stream " + id() + " was reset locally");
            // Unregister before waking anyone: a woken reader's close() would otherwise unregister
            // the stream first, and the peer would never get our RST (a relayed circuit cut by
            // the relay then stayed open on the dialer's side).
            registered = session.unregister(this);
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        if (registered) {
            session.sendControl(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
        }
    }

    @Override
    public String toString() {
        return "yamux stream " + id();
    }

    // ---- called by the session's reader thread ----

    /**
     * Accounts for a DATA frame of {@code length} bytes and says what to do with its payload.
     *
     * @throws PeerFaultException if the frame exceeds the window; that breaks the whole session
     */
    Delivery beginReceive(long length) throws PeerFaultException {
        lock.lock();
        try {
            receiveWindow.receive(length, id);
            if (remoteWriteClosed && length > 0) {
                return Delivery.DISCARD_AFTER_FIN;
            }
            if (failure != null || readClosed || remoteWriteClosed || length == 0) {
                return Delivery.DISCARD;
            }
            received.reserve((int) length);
            fillArray = received.array();
            fillIndex = received.writeIndex();
            return Delivery.DELIVER;
        } finally {
            lock.unlock();
        }
    }

    /** The array to fill after {@link Delivery#DELIVER}; positions wrap at its length. */
    byte[] fillArray() {
        return fillArray;
    }

    int fillIndex() {
        return fillIndex;
    }

    /**
     * Makes the next {@code length} bytes filled after {@link #beginReceive} readable; the session
     * calls this for each part of a payload as it arrives.
     */
    void commitReceived(int length) {
        lock.lock();
        try {
            if (failure != null || readClosed) {
                return;
            }
            received.commitWrite(length);
            if (readerWaiting) {
                readerWaiting = false;
                readable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The payload announced to {@link #beginReceive} is complete. Reader thread only, like the fill fields. */
    void endReceive() {
        fillArray = null;
    }

    /**
     * Adds {@code delta} to our send window.
     *
     * @throws PeerFaultException if the window would exceed {@link #MAX_SEND_WINDOW}
     */
    void onWindowUpdate(long delta) throws PeerFaultException {
        if (delta == 0) {
            return;
        }
        lock.lock();
        try {
            if (sendCredit + delta > MAX_SEND_WINDOW) {
                throw new PeerFaultException("yamux window update of " + delta + " bytes on stream "
                        + Integer.toUnsignedLong(id) + " would raise the send window from " + sendCredit + " to "
                        + (sendCredit + delta) + " bytes, beyond the " + MAX_SEND_WINDOW + "-byte maximum");
            }
            sendCredit += delta;
            if (writerWaiting) {
                writerWaiting = false;
                writable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The peer ACKed our SYN; returns true the first time, when the SYN slot is to be released. */
    boolean onAck() {
        return releaseSynSlot();
    }

    /** Returns true if this stream held one of the session's SYN slots until now. */
    boolean releaseSynSlot() {
        lock.lock();
        try {
            boolean held = awaitingAck;
            awaitingAck = false;
            return held;
        } finally {
            lock.unlock();
        }
    }

    void onRemoteFin() {
        lock.lock();
        try {
            if (remoteWriteClosed || failure != null) {
                return;
            }
            remoteWriteClosed = true;
            if (writeClosed) {
                // Before waking the reader: whoever sees end-of-stream also sees the stream gone.
                session.unregister(this);
            }
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onRemoteReset() {
        fail(new StreamResetException("yamux stream " + id() + " was reset by the peer"));
        session.unregister(this);
    }

    /** Ends the stream with the session: blocked and later calls fail with {@code reason}. */
    void fail(Libp2pException reason) {
        lock.lock();
        try {
            if (failure == null) {
                failure = reason;
            }
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The window the peer may fill right now, for tests. */
    long receiveCredit() {
        lock.lock();
        try {
            return receiveWindow.credit();
        } finally {
            lock.unlock();
        }
    }

    /** Our send credit, for tests. */
    long sendCredit() {
        lock.lock();
        try {
            return sendCredit;
        } finally {
            lock.unlock();
        }
    }

    // ---- application side ----

    private int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        readerMutex.lock();
        try {
            int n;
            byte[] array;
            int index;
            long credit = 0;
            lock.lock();
            try {
                n = awaitReadable(len);
                if (n < 0) {
                    return -1;
                }
                if (n <= LOCKED_COPY_LIMIT) {
                    received.read(b, off, n);
                    credit = consumed(n);
                    array = null;
                    index = 0;
                } else {
                    array = received.array();
                    index = received.readIndex();
                }
            } finally {
                lock.unlock();
            }
            if (array != null) {
                ByteRing.copyOut(array, index, b, off, n);
                lock.lock();
                try {
                    received.commitRead(n);
                    credit = consumed(n);
                } finally {
                    lock.unlock();
                }
            }
            if (credit > 0) {
                session.sendControl(YamuxFrame.windowUpdate(id, 0, credit));
            }
            return n;
        } finally {
            readerMutex.unlock();
        }
    }

    private int available() {
        lock.lock();
        try {
            return readClosed || failure instanceof StreamResetException ? 0 : received.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for data; returns how much to read now, or -1 at the peer's FIN. Holds the lock. */
    private int awaitReadable(int wanted) throws IOException {
        while (true) {
            if (failure instanceof StreamResetException) {
                throw YamuxSession.sameKind(failure);
            }
            if (readClosed) {
                throw new ConnectionClosedException("yamux stream " + id() + " is closed for reading");
            }
            int buffered = received.size();
            if (buffered > 0) {
                return Math.min(wanted, buffered);
            }
            if (remoteWriteClosed) {
                return -1;
            }
            if (failure != null) {
                throw YamuxSession.sameKind(failure);
            }
            readerWaiting = true;
            await(readable);
        }
    }

    /** Credit to return after the application consumed {@code n} bytes (0 if none yet). Holds the lock. */
    private long consumed(int n) {
        if (failure != null || readClosed || remoteWriteClosed) {
            return 0;
        }
        return receiveWindow.consume(n, session.nanoTime(), session.rttNanos());
    }

    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        boolean owesFlush = false;
        try {
            while (len > 0) {
                int n = 0;
                boolean more = false;
                while (n == 0) {
                    boolean flushFirst = false;
                    lock.lock();
                    try {
                        checkWritable();
                        if (sendCredit > 0) {
                            n = (int) Math.min(len, Math.min(sendCredit, session.maxFramePayload()));
                            sendCredit -= n;
                            more = n < len && sendCredit > 0;
                        } else if (owesFlush) {
                            flushFirst = true;
                        } else {
                            writerWaiting = true;
                            await(writable);
                        }
                    } finally {
                        lock.unlock();
                    }
                    if (flushFirst) {
                        owesFlush = false;
                        session.writer().flush();
                    }
                }
                session.writer().writeData(id, b, off, n, more);
                owesFlush = more;
                off += n;
                len -= n;
            }
        } catch (IOException e) {
            if (owesFlush) {
                flushQuietly();
            }
            throw e;
        }
    }

    private void checkWritable() throws Libp2pException {
        if (failure != null) {
            throw YamuxSession.sameKind(failure);
        }
        if (writeClosed) {
            throw new ConnectionClosedException("yamux stream " + id() + " is closed for writing");
        }
    }

    private void flushQuietly() {
        try {
            session.writer().flush();
        } catch (IOException e) {
            // The session is ending; the frames of other streams still in the buffer go with it.
        }
    }

    private static void await(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a yamux stream");
        }
    }

    private final class StreamInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = YamuxStream.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return YamuxStream.this.read(b, off, len);
        }

        @Override
        public int available() {
            return YamuxStream.this.available();
        }

        /** Stops reading; the stream stays open for writing. */
        @Override
        public void close() {
            boolean done;
            lock.lock();
            try {
                if (readClosed) {
                    return;
                }
                readClosed = true;
                readable.signalAll();
                done = writeClosed;
            } finally {
                lock.unlock();
            }
            if (done) {
                session.unregister(YamuxStream.this);
            }
        }
    }

    private final class StreamOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            YamuxStream.this.write(b, off, len);
        }

        /** Sends our FIN (yamux half-close); reading goes on. */
        @Override
        public void close() {
            closeWrite();
        }
    }
}
