package org.parley.libp2p.transport.webrtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.StreamResetException;
import org.parley.libp2p.transport.webrtc.DataChannelFrame.Flag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libp2p stream over one WebRTC data channel, framed with {@link DataChannelCodec}: writes are
 * cut into frames of at most 16 KiB, {@link #closeWrite()} sends FIN and waits for the peer's
 * FIN_ACK before the channel may close, {@link #close()} also sends STOP_SENDING, and
 * {@link #reset()} sends RESET_STREAM and closes the channel. After a clean close handshake only
 * the side that finished first closes the channel (see {@link #closeChannelIfDone()}). Writers wait
 * while the channel's buffered amount is above {@link #HIGH_WATER_BYTES} until it falls to
 * {@link #LOW_WATER_BYTES}.
 *
 * <p>Every frame goes out through one send path ({@link #send}, in order under {@code sendLock}).
 * The FIN_ACK owed for the peer's FIN is sent first by whichever comes first: the next frame we
 * send, or a virtual thread started when the FIN arrived. So a reply written after the reader saw
 * end-of-stream always follows the FIN_ACK on the wire; js-libp2p's {@code close()} resolves on the
 * FIN_ACK, and a js program that awaits it before reading would otherwise miss the reply.
 *
 * <p>Asking libwebrtc for the buffered amount is a blocking call into its network thread, the
 * thread that limits throughput; the writer therefore keeps an upper bound of its own (the amount
 * last asked plus the bytes sent since) and asks only when that bound passes the high mark.
 *
 * <p>Events of the channel ({@link #onMessage}, {@link #onBufferedAmountChange},
 * {@link #onChannelClosed}) arrive on WebRTC's threads: they take the stream's lock only briefly,
 * never wait, and never call into the channel; frames they must send (FIN_ACK, RESET_STREAM after a
 * peer fault) go out on a virtual thread. Threading otherwise as for {@link MuxedStream}.
 */
final class DataChannelStream implements MuxedStream {

    /**
     * Writers wait above this many buffered bytes. libwebrtc closes a channel whose buffer passes
     * 16 MiB; 4 MiB keeps its SCTP sender busy (scripts/bench webrtc on loopback: 68 MB/s with
     * 1 MiB, 84 MB/s with 4 MiB).
     */
    static final long HIGH_WATER_BYTES = 4 << 20;
    /** Writers resume once the buffer drained to this: a quarter of the high mark, so they resume in batches. */
    static final long LOW_WATER_BYTES = HIGH_WATER_BYTES / 4;
    /**
     * Received bytes held for a reader that falls behind. The framing has no flow control (it
     * relies on SCTP's window, which libwebrtc empties into our callback at once), so a peer may
     * send faster than we read; past this the stream is reset rather than our memory filled. 64 MiB
     * lets a 64 MiB echo through even while the echoing side's reader stalls.
     */
    static final long MAX_RECEIVE_BUFFER_BYTES = 64L << 20;
    /** How long the channel stays open for a FIN_ACK that does not come (js-libp2p waits 5 s too). */
    static final Duration FIN_ACK_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long we leave the closing of the channel to a peer that finished first, before we close
     * it ourselves. The peer closes it as soon as our FIN arrives, but while a transfer from it
     * overflows our UDP receive buffer libwebrtc performs its reset only once the lost DATA came
     * again, sometimes many seconds later, and a reset of ours meanwhile can wedge the stream (see
     * {@link CloseCompletionWatch}). With 5 s that happened once in 30 runs of WebRtcJsInteropTest's
     * upload test; with 30 s never (16 runs), and a peer that never closes keeps only a finished
     * channel that long.
     */
    static final Duration PEER_CLOSE_GRACE = Duration.ofSeconds(30);
    /**
     * A writer above the high mark asks the buffered amount this often until it fell to the low
     * mark. Polled rather than woken by each change event, which libwebrtc sends per message: a
     * question per event would cost the network thread as much as the sending. At 100 MB/s the low
     * mark still holds about 10 ms of data, so the channel never runs dry while the writer sleeps.
     */
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Logger log = LoggerFactory.getLogger(DataChannelStream.class);

    private final ChannelPort channel;
    private final ScheduledExecutorService timers;
    private final Duration peerCloseGrace;
    private final Runnable onGone;
    private final DataChannelCodec.Decoder decoder = new DataChannelCodec.Decoder();
    private final ReentrantLock lock = new ReentrantLock();
    /** Held around every send, so frames leave in the order they were decided; never taken inside {@code lock}. */
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private final Input input = new Input();
    private final Output output = new Output();

    // Guarded by sendLock: the channel's buffered amount when last asked, and the bytes sent since.
    private long bufferedWhenAsked;
    private long sentSinceAsked;

    // All guarded by lock.
    private int firstOffset;
    private long receivedBytes;
    private boolean remoteFin;
    private boolean remoteStoppedReading;
    private boolean finSent;
    private boolean finAcked;
    private boolean finAckGivenUp;
    private boolean finAckOwed;
    /** The peer's FIN came before we sent ours: the peer closes the channel, not us (see closeChannelIfDone). */
    private boolean peerFinishedFirst;
    private boolean peerCloseAwaited;
    private boolean readingStopped;
    private String resetReason;
    private boolean channelClosed;
    private boolean gone;

    /**
     * @param channel the data channel, open or about to be
     * @param timers runs the FIN_ACK timeout
     * @param onGone called once when the channel is closed for good (the session forgets the stream)
     */
    DataChannelStream(ChannelPort channel, ScheduledExecutorService timers, Runnable onGone) {
        this(channel, timers, PEER_CLOSE_GRACE, onGone);
    }

    /**
     * @param channel the data channel, open or about to be
     * @param timers runs the FIN_ACK timeout and the peer-close grace
     * @param peerCloseGrace how long to leave the closing to a peer that finished first
     * @param onGone called once when the channel is closed for good (the session forgets the stream)
     */
    DataChannelStream(ChannelPort channel, ScheduledExecutorService timers, Duration peerCloseGrace, Runnable onGone) {
        this.channel = channel;
        this.timers = timers;
        this.peerCloseGrace = peerCloseGrace;
        this.onGone = onGone;
    }

    @Override
    public long id() {
        return channel.id();
    }

    @Override
    public InputStream in() {
        return input;
    }

    @Override
    public OutputStream out() {
        return output;
    }

    /** Bytes of one data-channel message from the peer. Called on a WebRTC thread. */
    void onMessage(byte[] bytes) {
        List<DataChannelFrame> frames;
        try {
            frames = decoder.feed(bytes, 0, bytes.length);
        } catch (PeerFaultException e) {
            log.debug("data channel {}: {}; resetting the stream", channel.id(), e.getMessage());
            Thread.ofVirtual().start(this::reset);
            return;
        }
        for (DataChannelFrame frame : frames) {
            onFrame(frame);
        }
    }

    private void onFrame(DataChannelFrame frame) {
        boolean sendFinAck = false;
        boolean overflow = false;
        lock.lock();
        try {
            if (frame.payload().length > 0 && !remoteFin && resetReason == null && !readingStopped) {
                if (receivedBytes + frame.payload().length > MAX_RECEIVE_BUFFER_BYTES) {
                    overflow = true;
                } else {
                    received.add(frame.payload());
                    receivedBytes += frame.payload().length;
                    readable.signalAll();
                }
            }
            if (frame.flag() != null) {
                switch (frame.flag()) {
                    case FIN -> {
                        sendFinAck = !remoteFin && resetReason == null;
                        finAckOwed |= sendFinAck;
                        peerFinishedFirst |= !remoteFin && !finSent;
                        remoteFin = true;
                        readable.signalAll();
                    }
                    case FIN_ACK -> finAcked = true;
                    case STOP_SENDING -> {
                        remoteStoppedReading = true;
                        writable.signalAll();
                    }
                    case RESET_STREAM -> markReset("the peer reset the stream");
                }
            }
        } finally {
            lock.unlock();
        }
        if (overflow) {
            log.debug("data channel {}: the peer sent more than {} unread bytes; resetting the stream",
                    channel.id(), MAX_RECEIVE_BUFFER_BYTES);
            Thread.ofVirtual().start(this::reset);
            return;
        }
        if (frame.flag() == Flag.RESET_STREAM) {
            channel.close();
            return;
        }
        if (sendFinAck) {
            // Not sent here: a WebRTC thread must not wait for the send path. A frame we send
            // before this thread runs carries the acknowledgement out ahead of itself.
            Thread.ofVirtual().start(() -> {
                sendLock.lock();
                try {
                    sendOwedFinAck();
                } finally {
                    sendLock.unlock();
                }
                closeChannelIfDone();
            });
            return;
        }
        closeChannelIfDone();
    }

    /**
     * The channel's buffered amount fell. Called on a WebRTC thread, once per message sent; a
     * waiting writer polls instead (see {@link #DRAIN_POLL_NANOS}), so this does nothing.
     */
    void onBufferedAmountChange() {
        // Deliberately empty: waking the writer per message would cost more than it gains.
    }

    /** The channel is closed (by either side). Called on a WebRTC thread. */
    void onChannelClosed() {
        lock.lock();
        try {
            channelClosed = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        forget();
    }

    @Override
    public void closeWrite() {
        lock.lock();
        try {
            if (finSent || resetReason != null || channelClosed) {
                return;
            }
            finSent = true;
        } finally {
            lock.unlock();
        }
        sendQuietly(Flag.FIN);
        timers.schedule(this::giveUpOnFinAck, FIN_ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        closeChannelIfDone();
    }

    @Override
    public void close() {
        closeWrite();
        stopReading();
    }

    /** Drops unread bytes and asks the peer to stop sending (STOP_SENDING). Idempotent. */
    private void stopReading() {
        boolean stop;
        lock.lock();
        try {
            stop = !remoteFin && !readingStopped && resetReason == null && !channelClosed;
            readingStopped = true;
            received.clear();
            receivedBytes = 0;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
        if (stop) {
            sendQuietly(Flag.STOP_SENDING);
        }
        closeChannelIfDone();
    }

    @Override
    public void reset() {
        boolean send;
        lock.lock();
        try {
            send = resetReason == null && !channelClosed;
            markReset("the stream was reset");
        } finally {
            lock.unlock();
        }
        if (send) {
            sendQuietly(Flag.RESET_STREAM);
        }
        channel.close();
    }

    /** Closes the stream because its connection went away; blocked readers and writers fail. */
    void connectionClosed() {
        lock.lock();
        try {
            channelClosed = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        channel.close();
        forget();
    }

    private void markReset(String reason) {
        if (resetReason == null) {
            resetReason = reason;
        }
        received.clear();
        receivedBytes = 0;
        readable.signalAll();
        writable.signalAll();
    }

    private void giveUpOnFinAck() {
        lock.lock();
        try {
            finAckGivenUp = true;
        } finally {
            lock.unlock();
        }
        closeChannelIfDone();
    }

    /**
     * Closes the channel once our FIN is acknowledged (or given up on), we read no more, and the
     * acknowledgement we owe the peer's FIN is out. If the peer finished first (its FIN came before
     * we sent ours) and acknowledged our FIN, the peer closes the channel itself as soon as our FIN
     * arrives (the spec has both sides close), and libwebrtc then resets our direction by itself.
     * Closing ours at that same moment would have both sides reset the SCTP stream at once, which
     * with js-libp2p peers sometimes left the stream half closed for good (see
     * {@link CloseCompletionWatch}); so we close it only if the peer has not after the grace
     * ({@link #PEER_CLOSE_GRACE}).
     */
    private void closeChannelIfDone() {
        boolean done;
        boolean awaitPeer = false;
        lock.lock();
        try {
            done = !channelClosed && finSent && (finAcked || finAckGivenUp) && (remoteFin || readingStopped)
                    && !finAckOwed;
            if (done && peerFinishedFirst && finAcked) {
                done = false;
                awaitPeer = !peerCloseAwaited;
                peerCloseAwaited = true;
            }
        } finally {
            lock.unlock();
        }
        if (done) {
            channel.close();
        } else if (awaitPeer) {
            timers.schedule(this::closeUnlessPeerDid, peerCloseGrace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The peer did not close the channel in time after it finished first: close it ourselves. */
    private void closeUnlessPeerDid() {
        boolean open;
        lock.lock();
        try {
            open = !channelClosed;
        } finally {
            lock.unlock();
        }
        if (open) {
            log.debug("data channel {}: the peer finished first but did not close it within {} s; closing it",
                    channel.id(), peerCloseGrace.toSeconds());
            channel.close();
        }
    }

    private void forget() {
        lock.lock();
        try {
            if (gone) {
                return;
            }
            gone = true;
        } finally {
            lock.unlock();
        }
        onGone.run();
    }

    private void sendQuietly(Flag flag) {
        try {
            send(DataChannelCodec.encode(DataChannelFrame.of(flag)));
        } catch (IOException e) {
            log.trace("data channel {}: {} not sent: {}", channel.id(), flag, e.getMessage());
        }
    }

    /** Sends one frame, after the FIN_ACK we owe if any: the one path every frame takes. */
    private void send(byte[] frame) throws IOException {
        sendLock.lock();
        try {
            sendOwedFinAck();
            channel.send(frame);
            sentSinceAsked += frame.length;
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends the FIN_ACK for the peer's FIN if it is still owed. Call holding sendLock. */
    private void sendOwedFinAck() {
        boolean owed;
        lock.lock();
        try {
            owed = finAckOwed;
        } finally {
            lock.unlock();
        }
        if (!owed) {
            return;
        }
        byte[] finAck = DataChannelCodec.encode(DataChannelFrame.of(Flag.FIN_ACK));
        try {
            channel.send(finAck);
            sentSinceAsked += finAck.length;
        } catch (IOException e) {
            log.trace("data channel {}: FIN_ACK not sent: {}", channel.id(), e.getMessage());
        }
        // Cleared only once sent (or failed), so the channel cannot close ahead of it.
        lock.lock();
        try {
            finAckOwed = false;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the channel's buffered amount and restarts the count of bytes sent since. */
    private long askBuffered() {
        sendLock.lock();
        try {
            bufferedWhenAsked = channel.bufferedAmount();
            sentSinceAsked = 0;
            return bufferedWhenAsked;
        } finally {
            sendLock.unlock();
        }
    }

    /** Waits until a frame may be sent, or throws why none may be. */
    private void awaitWritable() throws IOException {
        lock.lock();
        try {
            failIfNotWritable();
        } finally {
            lock.unlock();
        }
        long bound;
        sendLock.lock();
        try {
            bound = bufferedWhenAsked + sentSinceAsked;
        } finally {
            sendLock.unlock();
        }
        // Only our own frames fill the buffer, so the bound never underestimates it.
        if (bound <= HIGH_WATER_BYTES || askBuffered() <= HIGH_WATER_BYTES) {
            return;
        }
        // Resume only once the buffer drained to the low mark, so writes go out in batches.
        do {
            lock.lock();
            try {
                failIfNotWritable();
                // Woken early only when the stream fails (reset, STOP_SENDING, closed).
                writable.awaitNanos(DRAIN_POLL_NANOS);
                failIfNotWritable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionClosedException("interrupted while waiting to write");
            } finally {
                lock.unlock();
            }
        } while (askBuffered() > LOW_WATER_BYTES);
    }

    private void failIfNotWritable() throws IOException {
        if (resetReason != null) {
            throw new StreamResetException(resetReason);
        }
        if (finSent) {
            throw new ConnectionClosedException("the stream is closed for writing");
        }
        if (remoteStoppedReading) {
            throw new ConnectionClosedException("the peer stopped reading the stream");
        }
        if (channelClosed) {
            throw new ConnectionClosedException("the data channel is closed");
        }
    }

    private int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (received.isEmpty()) {
                if (resetReason != null) {
                    throw new StreamResetException(resetReason);
                }
                if (remoteFin) {
                    return -1;
                }
                if (readingStopped) {
                    throw new ConnectionClosedException("the stream is closed");
                }
                if (channelClosed) {
                    throw new StreamResetException("the data channel closed before the peer finished sending");
                }
                readable.await();
            }
            // As many queued frames as fit: one wake-up and one lock per read, not per 16 KiB frame.
            int count = 0;
            while (count < length && !received.isEmpty()) {
                byte[] first = received.peek();
                int part = Math.min(length - count, first.length - firstOffset);
                System.arraycopy(first, firstOffset, buffer, offset + count, part);
                firstOffset += part;
                count += part;
                if (firstOffset == first.length) {
                    received.poll();
                    firstOffset = 0;
                }
            }
            receivedBytes -= count;
            return count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while reading");
        } finally {
            lock.unlock();
        }
    }

    private void write(byte[] buffer, int offset, int length) throws IOException {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            awaitWritable();
            int chunk = Math.min(end - position, DataChannelCodec.MAX_PAYLOAD_BYTES);
            send(DataChannelCodec.encode(null, buffer, position, chunk));
            position += chunk;
        }
    }

    @Override
    public String toString() {
        return "data channel " + channel.id();
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            return DataChannelStream.this.read(b, off, len);
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (int) Math.min(Integer.MAX_VALUE, receivedBytes);
            } finally {
                lock.unlock();
            }
        }

        /** Closing the input stops reading only; writing goes on. */
        @Override
        public void close() {
            stopReading();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            DataChannelStream.this.write(b, off, len);
        }

        /** Closing the output half-closes the stream (FIN), as on yamux streams. */
        @Override
        public void close() {
            closeWrite();
        }
    }
}
