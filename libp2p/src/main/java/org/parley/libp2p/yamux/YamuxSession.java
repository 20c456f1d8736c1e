package org.parley.libp2p.yamux;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.Duplex;
import org.parley.libp2p.core.InternalFaultException;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.core.StreamResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session over one secured connection: opens and accepts streams, dispatches frames,
 * answers pings, and ends with GO_AWAY.
 *
 * <p>Thread safe. One reader virtual thread per session decodes frames and hands DATA to the
 * streams' buffers, each bounded by its stream's window, so a slow stream never blocks the others;
 * it ends when the session ends. A second one writes the control frames the reader produces, so
 * that the reader never waits for the connection. A third, when the config asks for keepalive
 * pings, an RTT measurement or a write timeout, does those. All end with the session.
 *
 * <p>Lock order: a stream's lock may be held while taking the session's state lock, never the
 * reverse; neither is held while waiting for the connection.
 *
 * <p>{@link #openStream()} blocks while {@link YamuxConfig#maxUnackedOutboundStreams()} of our
 * streams wait for the peer's ACK, as the spec asks; we ACK an inbound stream when the application
 * accepts it.
 */
public final class YamuxSession implements MuxedSession {

    private static final Logger log = LoggerFactory.getLogger(YamuxSession.class);

    /**
     * How long closing waits for our GO_AWAY to be written before closing the connection anyway:
     * the GO_AWAY is a courtesy, the peer learns the same from the connection ending. Long enough
     * for a loaded machine to schedule the writer; only a stuck connection waits this long.
     */
    static final Duration GO_AWAY_LINGER = Duration.ofSeconds(1);

    /** How long {@link #close()} waits for the reader thread to end, so no thread outlives it. */
    static final Duration READER_JOIN_TIMEOUT = Duration.ofSeconds(1);

    /** Stream ids are 32 bits and never reused; a session that used them all opens no more. */
    private static final long MAX_STREAM_ID = 0xFFFF_FFFFL;

    private static final AtomicInteger SESSION_COUNT = new AtomicInteger();

    private final Duplex connection;
    private final boolean initiator;
    private final YamuxConfig config;
    private final LongSupplier clock;
    private final YamuxFrameWriter writer;
    private final ConcurrentHashMap<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PendingPing> pings = new ConcurrentHashMap<>();
    private final AtomicLong nextPingValue = new AtomicLong();
    private final String name;

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition acceptable = stateLock.newCondition();
    private final Condition synSlotFreed = stateLock.newCondition();
    private final Condition housekeeping = stateLock.newCondition();
    /** Guarded by stateLock. */
    private final ArrayDeque<YamuxStream> acceptQueue = new ArrayDeque<>();
    /** Guarded by stateLock. */
    private int inboundStreams;
    /** Guarded by stateLock. */
    private int unackedOutboundStreams;
    /** Written under stateLock. */
    private volatile boolean goAwaySent;
    private volatile boolean goAwayReceived;
    /** Null while open; written once under stateLock. */
    private volatile Libp2pException closeReason;

    /** Serializes stream id allocation with the SYN, so that our SYNs go out in id order. */
    private final ReentrantLock openLock = new ReentrantLock();
    /** Guarded by openLock. */
    private long nextStreamId;

    private volatile long rttNanos = -1;
    private Thread readerThread;

    private YamuxSession(Duplex connection, boolean initiator, YamuxConfig config, LongSupplier clock) {
        this.connection = connection;
        this.initiator = initiator;
        this.config = config;
        this.clock = clock;
        this.nextStreamId = initiator ? 1 : 2;
        this.name = "yamux-" + SESSION_COUNT.incrementAndGet() + (initiator ? "-client" : "-server");
        this.writer = new YamuxFrameWriter(connection.out(), clock, this::writeFailed);
    }

    /**
     * Starts a session over {@code connection}, which it owns from now on.
     *
     * @param initiator true for the side that dialed: it uses odd stream ids
     * @param clock the time source for RTT, window growth and timeouts ({@code System::nanoTime})
     */
    static YamuxSession start(Duplex connection, boolean initiator, YamuxConfig config, LongSupplier clock) {
        YamuxSession session = new YamuxSession(connection, initiator, config, clock);
        session.writer.startControlWriter(session.name + "-writer");
        session.readerThread = Thread.ofVirtual().name(session.name + "-reader").start(session::readLoop);
        if (config.measureRttAtStart() || config.keepAliveInterval() != null || config.writeTimeout() != null) {
            Thread.ofVirtual().name(session.name + "-housekeeping").start(session::housekeep);
        }
        return session;
    }

    /** True if we dialed the connection and use odd stream ids. */
    public boolean isInitiator() {
        return initiator;
    }

    /**
     * Opens a stream: sends its SYN and returns at once, without waiting for the ACK. Blocks while
     * too many of our streams wait for their ACK.
     *
     * @throws ConnectionClosedException if the session is closed or either side sent GO_AWAY
     */
    @Override
    public MuxedStream openStream() throws IOException {
        stateLock.lock();
        try {
            while (true) {
                checkCanOpen();
                if (unackedOutboundStreams < config.maxUnackedOutboundStreams()) {
                    break;
                }
                try {
                    synSlotFreed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the peer to ACK our streams");
                }
            }
            unackedOutboundStreams++;
        } finally {
            stateLock.unlock();
        }
        YamuxStream stream = null;
        try {
            openLock.lock();
            try {
                stream = register();
                writer.send(YamuxFrame.windowUpdate(stream.wireId(), YamuxFrame.SYN, 0));
            } finally {
                openLock.unlock();
            }
        } finally {
            if (stream == null) {
                releaseSynSlot();
            }
        }
        return stream;
    }

    /** Creates and registers our next stream. Holds openLock. */
    private YamuxStream register() throws Libp2pException {
        long id = nextStreamId;
        if (id > MAX_STREAM_ID) {
            throw new ConnectionClosedException("yamux session has used all of its stream ids");
        }
        stateLock.lock();
        try {
            checkCanOpen();
            nextStreamId += 2;
            YamuxStream stream = new YamuxStream(this, (int) id, false, config.maxStreamWindow(), nanoTime());
            streams.put(stream.wireId(), stream);
            return stream;
        } finally {
            stateLock.unlock();
        }
    }

    /** Holds stateLock. */
    private void checkCanOpen() throws Libp2pException {
        if (closeReason != null) {
            throw sameKind(closeReason);
        }
        if (goAwayReceived) {
            throw new ConnectionClosedException("yamux peer sent GO_AWAY: no new streams");
        }
        if (goAwaySent) {
            throw new ConnectionClosedException("yamux session is going away: no new streams");
        }
    }

    /** Waits for the next inbound stream and ACKs it. */
    @Override
    public MuxedStream acceptStream() throws IOException, InterruptedException {
        YamuxStream stream;
        stateLock.lock();
        try {
            while ((stream = acceptQueue.poll()) == null) {
                if (closeReason != null) {
                    throw sameKind(closeReason);
                }
                acceptable.await();
            }
        } finally {
            stateLock.unlock();
        }
        writer.send(YamuxFrame.windowUpdate(stream.wireId(), YamuxFrame.ACK, 0));
        return stream;
    }

    @Override
    public boolean isOpen() {
        return closeReason == null;
    }

    @Override
    public int streamCount() {
        return streams.size();
    }

    /**
     * Measures the round trip with a yamux PING; the result also tunes stream window growth.
     *
     * @throws ConnectionClosedException if the session ends or no answer comes within
     *     {@link YamuxConfig#pingTimeout()}
     */
    public Duration ping() throws IOException, InterruptedException {
        PendingPing pending = sendPing();
        try {
            return Duration.ofNanos(pending.answer.get(config.pingTimeout().toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw new ConnectionClosedException("yamux ping got no answer within " + config.pingTimeout());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Libp2pException reason
                    ? sameKind(reason)
                    : new InternalFaultException("yamux ping failed", e.getCause());
        } finally {
            pings.remove(pending.value);
        }
    }

    private PendingPing sendPing() throws Libp2pException {
        Libp2pException reason = closeReason;
        if (reason != null) {
            throw sameKind(reason);
        }
        long value = nextPingValue.getAndIncrement() & YamuxFrame.MAX_LENGTH;
        PendingPing pending = new PendingPing(value, nanoTime());
        pings.put(value, pending);
        if (closeReason != null) {
            pending.answer.completeExceptionally(closeReason);
        }
        writer.send(YamuxFrame.ping(YamuxFrame.SYN, value));
        return pending;
    }

    /** Sends GO_AWAY, closes the connection and fails every stream. Idempotent. */
    @Override
    public void close() {
        if (closeReason != null) {
            return;
        }
        goAwaySent = true;
        writer.sendLast(YamuxFrame.goAway(YamuxFrame.GO_AWAY_NORMAL), GO_AWAY_LINGER);
        end(new ConnectionClosedException("yamux session closed"));
        Thread reader = readerThread;
        if (reader != null && Thread.currentThread() != reader) {
            try {
                reader.join(READER_JOIN_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- for streams and tests ----

    YamuxFrameWriter writer() {
        return writer;
    }

    /** Sends a control frame without ever making the reader thread wait for the connection. */
    void sendControl(YamuxFrame frame) {
        if (Thread.currentThread() == readerThread) {
            writer.sendFromReader(frame);
        } else {
            writer.send(frame);
        }
    }

    int maxFramePayload() {
        return config.maxFramePayload();
    }

    long nanoTime() {
        return clock.getAsLong();
    }

    /** The last measured round trip in nanoseconds, or -1 before the first ping answer. */
    long rttNanos() {
        return rttNanos;
    }

    /** Why the session ended, or null while it is open. */
    Libp2pException closeReason() {
        return closeReason;
    }

    Thread readerThread() {
        return readerThread;
    }

    /** Forgets {@code stream}; returns false if it was gone already. */
    boolean unregister(YamuxStream stream) {
        if (!streams.remove(stream.wireId(), stream)) {
            return false;
        }
        boolean heldSynSlot = stream.releaseSynSlot();
        if (stream.isInbound() || heldSynSlot) {
            stateLock.lock();
            try {
                if (stream.isInbound()) {
                    inboundStreams--;
                }
                if (heldSynSlot) {
                    unackedOutboundStreams--;
                    synSlotFreed.signal();
                }
            } finally {
                stateLock.unlock();
            }
        }
        return true;
    }

    private void releaseSynSlot() {
        stateLock.lock();
        try {
            unackedOutboundStreams--;
            synSlotFreed.signal();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * A fresh exception of the same kind as {@code reason}, so that every thread that fails
     * because of it gets its own stack trace, with the original as the cause.
     */
    static Libp2pException sameKind(Libp2pException reason) {
        return switch (reason) {
            case StreamResetException reset -> new StreamResetException(reset.getMessage());
            case PeerFaultException fault -> new PeerFaultException(fault.getMessage(), fault);
            case InternalFaultException fault -> new InternalFaultException(fault.getMessage(), fault);
            case ConnectionClosedException closed -> new ConnectionClosedException(closed.getMessage(), closed);
        };
    }

    // ---- the reader thread ----

    private void readLoop() {
        YamuxFrameReader reader = new YamuxFrameReader(connection.in());
        try {
            YamuxFrame header;
            while ((header = reader.readHeader()) != null) {
                switch (header.type()) {
                    case DATA, WINDOW_UPDATE -> onStreamFrame(header, reader);
                    case PING -> onPing(header);
                    case GO_AWAY -> onGoAway(header);
                }
            }
            end(new ConnectionClosedException("yamux connection closed by the peer"));
        } catch (PeerFaultException e) {
            protocolError(e);
        } catch (Libp2pException e) {
            end(e);
        } catch (IOException e) {
            end(new ConnectionClosedException("yamux connection failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            log.error("{} reader failed", name, e);
            end(new InternalFaultException(name + " reader failed: " + e, e));
        } finally {
            if (closeReason == null) {
                end(new InternalFaultException(name + " reader ended unexpectedly"));
            }
        }
    }

    private void onStreamFrame(YamuxFrame header, YamuxFrameReader reader) throws IOException {
        int id = header.streamId();
        if (id == 0) {
            throw new PeerFaultException("yamux " + header.type() + " frame on stream 0, which is reserved for the session");
        }
        YamuxStream stream = streams.get(id);
        if (header.has(YamuxFrame.SYN)) {
            if (stream != null) {
                throw new PeerFaultException(
                        "yamux SYN for stream " + header.unsignedStreamId() + ", which is already open");
            }
            stream = acceptInbound(header);
        }
        if (header.type() == YamuxFrame.Type.DATA) {
            receiveData(stream, header, reader);
        } else if (stream != null && !header.has(YamuxFrame.RST)) {
            // go-yamux sends RST as WINDOW_UPDATE|RST with an error code in the length: never credit.
            stream.onWindowUpdate(header.length());
        }
        if (stream == null) {
            return;
        }
        if (header.has(YamuxFrame.ACK) && stream.onAck()) {
            releaseSynSlot();
        }
        if (header.has(YamuxFrame.FIN)) {
            stream.onRemoteFin();
        }
        if (header.has(YamuxFrame.RST)) {
            stream.onRemoteReset();
        }
    }

    /** Registers a stream the peer opened, or refuses it with RST and returns null. */
    private YamuxStream acceptInbound(YamuxFrame header) throws IOException {
        int id = header.streamId();
        boolean ours = (id & 1) == (initiator ? 1 : 0);
        if (ours) {
            throw new PeerFaultException("yamux SYN for stream " + header.unsignedStreamId()
                    + " has the parity of our own streams (expected " + (initiator ? "even" : "odd") + " ids)");
        }
        String refusal;
        stateLock.lock();
        try {
            if (closeReason != null) {
                return null;
            } else if (goAwaySent) {
                refusal = "we sent GO_AWAY";
            } else if (inboundStreams >= config.maxInboundStreams()) {
                refusal = "the limit of " + config.maxInboundStreams() + " inbound streams is reached";
            } else if (acceptQueue.size() >= config.acceptBacklog()) {
                refusal = "the accept backlog of " + config.acceptBacklog() + " streams is full";
            } else {
                YamuxStream stream = new YamuxStream(this, id, true, config.maxStreamWindow(), nanoTime());
                streams.put(id, stream);
                inboundStreams++;
                acceptQueue.add(stream);
                acceptable.signal();
                return stream;
            }
        } finally {
            stateLock.unlock();
        }
        log.debug("{} refused stream {}: {}", name, header.unsignedStreamId(), refusal);
        writer.sendFromReader(YamuxFrame.windowUpdate(id, YamuxFrame.RST, 0));
        return null;
    }

    private void receiveData(YamuxStream stream, YamuxFrame header, YamuxFrameReader reader) throws IOException {
        long length = header.length();
        if (stream == null) {
            YamuxFrameCodec.checkDataLength(length, config.maxStreamWindow());
            reader.skipPayload(length);
            return;
        }
        switch (stream.beginReceive(length)) {
            case DELIVER -> {
                byte[] array = stream.fillArray();
                int index = stream.fillIndex();
                int remaining = (int) length;
                while (remaining > 0) {
                    int n = reader.readPayloadPart(array, index, Math.min(remaining, array.length - index));
                    stream.commitReceived(n);
                    index = index + n == array.length ? 0 : index + n;
                    remaining -= n;
                }
                stream.endReceive();
            }
            case DISCARD -> reader.skipPayload(length);
            case DISCARD_AFTER_FIN -> {
                reader.skipPayload(length);
                log.debug("{}: yamux peer sent {} bytes on stream {} after its FIN; resetting the stream",
                        name, length, header.unsignedStreamId());
                stream.reset();
            }
        }
    }

    private void onPing(YamuxFrame header) {
        if (header.has(YamuxFrame.SYN)) {
            writer.sendPingAnswer(header.length());
        } else if (header.has(YamuxFrame.ACK)) {
            PendingPing pending = pings.get(header.length());
            if (pending != null) {
                long rtt = nanoTime() - pending.sentNanos;
                rttNanos = rtt;
                pending.answer.complete(rtt);
            }
        }
    }

    private void onGoAway(YamuxFrame header) {
        goAwayReceived = true;
        stateLock.lock();
        try {
            synSlotFreed.signalAll();
        } finally {
            stateLock.unlock();
        }
        long code = header.length();
        if (code != YamuxFrame.GO_AWAY_NORMAL) {
            log.warn("{}: yamux peer is going away with error code {} ({})", name, code,
                    code == YamuxFrame.GO_AWAY_PROTOCOL_ERROR ? "it says we broke the protocol" : "internal error");
        }
    }

    private void protocolError(PeerFaultException e) {
        if (closeReason != null) {
            return;
        }
        // The host reports the fault once (rate limited); a flood must not log each one here too.
        log.debug("{}: closing the session, the peer broke the protocol: {}", name, e.getMessage());
        goAwaySent = true;
        writer.sendLast(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR), GO_AWAY_LINGER);
        end(e);
    }

    private Libp2pException writeFailed(IOException cause) {
        end(new ConnectionClosedException("yamux connection failed while writing: " + cause.getMessage(), cause));
        return sameKind(closeReason);
    }

    /** Ends the session for {@code reason}: the first reason wins. */
    private void end(Libp2pException reason) {
        stateLock.lock();
        try {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
            acceptable.signalAll();
            synSlotFreed.signalAll();
            housekeeping.signalAll();
        } finally {
            stateLock.unlock();
        }
        writer.close(reason);
        connection.close();
        for (YamuxStream stream : streams.values()) {
            stream.fail(reason);
        }
        streams.clear();
        for (PendingPing pending : pings.values()) {
            pending.answer.completeExceptionally(reason);
        }
    }

    // ---- the housekeeping thread ----

    private void housekeep() {
        if (config.measureRttAtStart()) {
            try {
                ping();
            } catch (IOException e) {
                // No answer: the RTT stays unknown and windows do not grow until a later ping.
            } catch (InterruptedException e) {
                return;
            }
        }
        long keepAliveNanos = config.keepAliveInterval() == null ? Long.MAX_VALUE : config.keepAliveInterval().toNanos();
        long writeTimeoutNanos = config.writeTimeout() == null ? Long.MAX_VALUE : config.writeTimeout().toNanos();
        long pingTimeoutNanos = config.pingTimeout().toNanos();
        long checkNanos = writeTimeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : writeTimeoutNanos / 2;
        long nextKeepAlive = saturatedAdd(nanoTime(), keepAliveNanos);
        PendingPing keepAlive = null;
        while (closeReason == null) {
            long now = nanoTime();
            long wait = Math.min(checkNanos, nextKeepAlive - now);
            if (keepAlive != null) {
                wait = Math.min(wait, keepAlive.sentNanos + pingTimeoutNanos - now);
            }
            if (wait == Long.MAX_VALUE) {
                return;
            }
            if (wait > 0) {
                stateLock.lock();
                try {
                    if (closeReason == null) {
                        housekeeping.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    stateLock.unlock();
                }
            }
            if (closeReason != null) {
                return;
            }
            now = nanoTime();
            if (writer.blockedNanos(now) > writeTimeoutNanos) {
                end(new ConnectionClosedException("yamux write blocked for more than " + config.writeTimeout()));
                return;
            }
            if (keepAlive != null) {
                if (keepAlive.answer.isDone()) {
                    pings.remove(keepAlive.value);
                    keepAlive = null;
                } else if (now - keepAlive.sentNanos >= pingTimeoutNanos) {
                    end(new ConnectionClosedException(
                            "yamux keepalive ping got no answer within " + config.pingTimeout()));
                    return;
                }
            }
            if (now >= nextKeepAlive) {
                nextKeepAlive = saturatedAdd(now, keepAliveNanos);
                if (keepAlive == null) {
                    try {
                        keepAlive = sendPing();
                    } catch (Libp2pException e) {
                        return;
                    }
                }
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** A ping we sent and its answer. */
    private static final class PendingPing {
        final long value;
        final long sentNanos;
        /** Completes with the round trip in nanoseconds. */
        final CompletableFuture<Long> answer = new CompletableFuture<>();

        PendingPing(long value, long sentNanos) {
            this.value = value;
            this.sentNanos = sentNanos;
        }
    }
}
