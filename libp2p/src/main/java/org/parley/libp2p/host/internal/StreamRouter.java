package org.parley.libp2p.host.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.libp2p.core.Libp2pException;
import org.parley.libp2p.core.MuxedStream;
import org.parley.libp2p.core.PeerFaultException;
import org.parley.libp2p.host.StreamHandler;
import org.parley.libp2p.internal.StreamDeadline;
import org.parley.libp2p.multistream.MultistreamCodec;
import org.parley.libp2p.multistream.MultistreamSelect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes inbound streams to protocol handlers: accepts a connection's streams, negotiates each
 * one's protocol with multistream-select and runs its handler on the stream's own thread;
 * resets the stream if the handler throws, closes it when it returns. On a limited (relayed)
 * connection only handlers that accept limited connections are offered. Thread safe.
 */
final class StreamRouter {

    private static final Logger log = LoggerFactory.getLogger(StreamRouter.class);

    private final HostThreads threads;
    private final ConcurrentHashMap<String, StreamHandler> handlers = new ConcurrentHashMap<>();

    private final MisbehaviourLog faults;

    StreamRouter(HostThreads threads, MisbehaviourLog faults) {
        this.faults = faults;
        this.threads = threads;
    }

    /** Registers {@code handler}; returns true if {@code protocolId} was not served before. */
    boolean put(String protocolId, StreamHandler handler) {
        requireProtocolId(protocolId);
        return handlers.put(protocolId, Objects.requireNonNull(handler, "handler")) == null;
    }

    /** Returns true if {@code protocolId} was served. */
    boolean remove(String protocolId) {
        return handlers.remove(protocolId) != null;
    }

    Set<String> protocols() {
        return Set.copyOf(handlers.keySet());
    }

    /** The protocols offered on a limited (relayed) connection: those whose handler accepts one. */
    Set<String> limitedProtocols() {
        Set<String> out = new java.util.HashSet<>();
        handlers.forEach((protocol, handler) -> {
            if (handler.acceptsLimitedConnections()) {
                out.add(protocol);
            }
        });
        return out;
    }

    /** Serves the connection's inbound streams until its session closes; then returns. */
    void acceptStreams(HostConnection connection) {
        try {
            while (true) {
                MuxedStream stream = connection.session().acceptStream();
                connection.touch();
                threads.start("stream-" + connection.tag(), () -> serve(connection, stream));
            }
        } catch (InterruptedException e) {
            log.debug("stream loop of {} interrupted", connection);
        } catch (PeerFaultException e) {
            faults.report("peer {} at {} broke the muxer protocol: {}", connection.remotePeer(),
                    connection.remoteAddress(), e.getMessage());
        } catch (IOException e) {
            log.debug("{} closed: {}", connection, e.getMessage());
        }
    }

    /** Negotiates an inbound stream's protocol and runs its handler on this (the stream's own) thread. */
    private void serve(HostConnection connection, MuxedStream muxed) {
        String protocol;
        StreamDeadline deadline = StreamDeadline.start(muxed, HostConnection.STREAM_NEGOTIATION_TIMEOUT);
        try {
            protocol = MultistreamSelect.handle(muxed, connection.limited() ? limitedProtocols() : handlers.keySet());
        } catch (IOException e) {
            muxed.reset();
            connection.touch();
            if (e instanceof PeerFaultException && connection.isOpen()) {
                faults.report("peer {} broke multistream-select on a stream: {}", connection.remotePeer(),
                        e.getMessage());
            } else {
                log.debug("inbound stream from {} ended during negotiation{}: {}", connection.remotePeer(),
                        deadline.expired() ? " (timed out)" : "", e.getMessage());
            }
            return;
        } finally {
            deadline.close();
        }
        StreamHandler handler = handlers.get(protocol);
        HostStream stream = new HostStream(muxed, protocol, connection);
        if (handler == null) {
            // Removed between negotiation and now.
            stream.reset();
            return;
        }
        try {
            handler.handle(stream);
            stream.close();
        } catch (Exception e) {
            stream.reset();
            logHandlerFailure(connection, protocol, e);
        }
    }

    private void logHandlerFailure(HostConnection connection, String protocol, Exception e) {
        if (e instanceof Libp2pException known) {
            switch (known.kind()) {
                case PEER_FAULT -> {
                    if (connection.isOpen()) {
                        faults.report("peer {} broke {}: {}", connection.remotePeer(), protocol, e.getMessage());
                    } else {
                        // The muxer failed under the handler; the stream loop reports that once.
                        log.debug("{} stream with {} ended with its connection: {}", protocol,
                                connection.remotePeer(), e.getMessage());
                    }
                }
                case CLOSED -> log.debug("{} stream with {} closed: {}", protocol, connection.remotePeer(),
                        e.getMessage());
                case INTERNAL -> log.error("{} handler failed on a stream with {}", protocol,
                        connection.remotePeer(), e);
            }
        } else if (e instanceof IOException) {
            log.debug("{} stream with {} failed: {}", protocol, connection.remotePeer(), e.toString());
        } else {
            log.error("{} handler failed on a stream with {}", protocol, connection.remotePeer(), e);
        }
    }

    private static void requireProtocolId(String protocolId) {
        if (protocolId.isEmpty() || protocolId.indexOf('\n') >= 0 || protocolId.equals(MultistreamSelect.NA)
                || protocolId.equals(MultistreamSelect.LS)) {
            throw new IllegalArgumentException("'" + protocolId + "' cannot be a protocol id");
        }
        MultistreamCodec.encode(protocolId);
    }
}
