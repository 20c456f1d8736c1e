package org.parley.libp2p.transport.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.libp2p.core.ConnectionClosedException;
import org.parley.libp2p.core.MuxedSession;
import org.parley.libp2p.core.MuxedStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one WebRTC connection: each data channel is one stream. Outbound streams are new
 * data channels (in-band negotiated, empty label); inbound ones arrive from the peer connection
 * and wait in a queue for {@link #acceptStream()}. Closing the session closes the peer connection.
 * Thread safe; {@link #onDataChannel} and {@link #peerConnectionEnded()} come from WebRTC's threads.
 */
final class WebRtcSession implements MuxedSession {

    /**
     * Streams open at once in either direction. SCTP allows 65535 channels; 1024 matches the
     * host's default streams per connection and bounds what a peer can make us keep.
     */
    static final int MAX_STREAMS = 1024;
    /** How long a new outbound data channel may take to open (one round trip on a working connection). */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);
    /** The label of the channel the dialer creates only so that its offer has a data section. */
    static final String INIT_CHANNEL_LABEL = "init";

    private static final Logger log = LoggerFactory.getLogger(WebRtcSession.class);
    /** Runs the streams' FIN_ACK timeouts; one daemon thread for the process, it only flips flags. */
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webrtc-timers").factory());
    private static final MuxedStream CLOSED_MARKER = new DataChannelStream(null, null, () -> {});

    private final Set<DataChannelStream> streams = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<MuxedStream> inbound = new LinkedBlockingQueue<>();
    private volatile RTCPeerConnection peerConnection;
    private volatile boolean open = true;
    /** Completed by {@link #close()}, to end waits for data channels to open. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /**
     * Held (shared) around a call into the peer connection, and (exclusive) while it is closed: a
     * data channel created on a peer connection that another thread is closing crashes libwebrtc.
     */
    private final ReentrantReadWriteLock nativeCalls = new ReentrantReadWriteLock();
    /** Closes the session when the peer connection stays disconnected (a crashed or vanished peer). */
    private final DisconnectWatch disconnectWatch = new DisconnectWatch(
            WebRtcSession::schedule, DisconnectWatch.GRACE, this::closeAfterDisconnection);

    /** Gives the session its peer connection, which was created with this session's events. */
    void attach(RTCPeerConnection connection) {
        this.peerConnection = connection;
    }

    RTCPeerConnection peerConnection() {
        return peerConnection;
    }

    @Override
    public MuxedStream openStream() throws IOException {
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = true;
        init.negotiated = false;
        NativeChannelPort port;
        DataChannelStream stream;
        nativeCalls.readLock().lock();
        try {
            if (!open) {
                throw new ConnectionClosedException("the WebRTC connection is closed");
            }
            if (streams.size() >= MAX_STREAMS) {
                throw new ConnectionClosedException("the WebRTC connection has " + MAX_STREAMS
                        + " open streams already");
            }
            port = newPort(peerConnection.createDataChannel("", init));
            stream = register(port);
        } finally {
            nativeCalls.readLock().unlock();
        }
        try {
            // Closing the session ends the wait too: a closed peer connection never opens the channel.
            CompletableFuture.anyOf(port.opened(), closed).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!open) {
                stream.reset();
                throw new ConnectionClosedException("the WebRTC connection closed while a data channel opened");
            }
        } catch (TimeoutException e) {
            stream.reset();
            throw new SocketTimeoutException("the data channel did not open within " + OPEN_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new ConnectionClosedException("the data channel closed before it opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.reset();
            throw new ConnectionClosedException("interrupted while opening a data channel");
        }
        return stream;
    }

    @Override
    public MuxedStream acceptStream() throws IOException, InterruptedException {
        MuxedStream stream = inbound.take();
        if (stream == CLOSED_MARKER) {
            inbound.add(CLOSED_MARKER);
            throw new ConnectionClosedException("the WebRTC connection is closed");
        }
        return stream;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public int streamCount() {
        return streams.size();
    }

    /** A data channel the peer opened. Called on a WebRTC thread. */
    void onDataChannel(RTCDataChannel channel) {
        NativeChannelPort port = newPort(channel);
        if (INIT_CHANNEL_LABEL.equals(channel.getLabel())) {
            // Only there to shape the offer; the dialer closes it once connected.
            return;
        }
        if (!open || streams.size() >= MAX_STREAMS) {
            log.debug("refusing a data channel: {}", open ? "too many streams" : "connection closed");
            port.close();
            return;
        }
        inbound.add(register(port));
    }

    private NativeChannelPort newPort(RTCDataChannel channel) {
        return new NativeChannelPort(channel, new CloseCompletionWatch(
                WebRtcSession::schedule, CloseCompletionWatch.TIMEOUT, () -> closeNeverCompleted(channel)));
    }

    private static Future<?> schedule(Runnable task, Duration delay) {
        return TIMERS.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A data channel we closed stayed half closed: the connection is wedged (see CloseCompletionWatch). */
    private void closeNeverCompleted(RTCDataChannel channel) {
        if (open) {
            log.info("the peer did not complete closing data channel {} within {} s, so new streams from it would"
                    + " hang (a known libwebrtc/usrsctp stream-reset bug); closing the WebRTC connection",
                    channel.getId(), CloseCompletionWatch.TIMEOUT.toSeconds());
            // Off the timer thread: closing the peer connection waits for libwebrtc's threads.
            Thread.ofVirtual().name("webrtc-close").start(this::close);
        }
    }

    private DataChannelStream register(NativeChannelPort port) {
        DataChannelStream[] holder = new DataChannelStream[1];
        DataChannelStream stream = new DataChannelStream(port, TIMERS, () -> streams.remove(holder[0]));
        holder[0] = stream;
        streams.add(stream);
        port.bind(stream);
        return stream;
    }

    /** The peer connection lost contact with the peer. Called on a WebRTC thread. */
    void peerConnectionDisconnected() {
        disconnectWatch.disconnected();
    }

    /** The peer connection is connected (again). Called on a WebRTC thread. */
    void peerConnectionConnected() {
        disconnectWatch.connected();
    }

    private void closeAfterDisconnection() {
        if (open) {
            log.debug("closing a WebRTC connection that stayed disconnected for {} ms", DisconnectWatch.GRACE.toMillis());
            // Off the timer thread: closing the peer connection waits for libwebrtc's threads.
            Thread.ofVirtual().name("webrtc-close").start(this::close);
        }
    }

    /** The peer connection failed or was closed by the peer. Called on a WebRTC thread. */
    void peerConnectionEnded() {
        if (open) {
            // Closing the peer connection from one of its own callbacks would deadlock libwebrtc.
            Thread.ofVirtual().name("webrtc-close").start(this::close);
        }
    }

    @Override
    public void close() {
        nativeCalls.writeLock().lock();
        try {
            if (!open) {
                return;
            }
            open = false;
        } finally {
            nativeCalls.writeLock().unlock();
        }
        closed.complete(null);
        inbound.add(CLOSED_MARKER);
        for (DataChannelStream stream : Set.copyOf(streams)) {
            stream.connectionClosed();
        }
        RTCPeerConnection connection = peerConnection;
        if (connection != null) {
            connection.close();
        }
    }
}
