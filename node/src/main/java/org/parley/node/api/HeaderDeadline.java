package org.parley.node.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an API connection that has not sent a complete request head within a deadline of opening
 * or of its last answer. Jetty's idle timeout restarts with every byte, so a client sending one
 * byte a second would otherwise hold its connection (and a thread) forever; this deadline does not
 * move. Slow request bodies are Jetty's minimum request data rate's business. Thread safe.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener, HttpChannel.Listener {

    private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

    /**
     * Where one connection stands: in a request, or waiting for a request head since it was armed
     * for the {@code armed}-th time (a check armed earlier finds a later number and does nothing).
     */
    private static final class Waiting {
        volatile boolean inRequest;
        final AtomicLong armed = new AtomicLong();
        volatile Scheduler.Task check;
    }

    private final Server server;
    private final Duration deadline;
    private final Map<Connection, Waiting> connections = new ConcurrentHashMap<>();

    HeaderDeadline(Server server, Duration deadline) {
        this.server = server;
        this.deadline = deadline;
    }

    /** Runs while the server starts, before its connectors: they pick up this listener as their bean. */
    @Override
    protected void doStart() {
        for (Connector connector : server.getConnectors()) {
            connector.addBean(this);
        }
    }

    @Override
    protected void doStop() {
        for (Connector connector : server.getConnectors()) {
            connector.removeBean(this);
        }
        connections.values().forEach(HeaderDeadline::cancel);
        connections.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            Waiting waiting = new Waiting();
            connections.put(connection, waiting);
            arm(http, waiting);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Waiting waiting = connections.remove(connection);
        if (waiting != null) {
            cancel(waiting);
        }
    }

    /** Called once the request head is parsed. */
    @Override
    public void onRequestBegin(Request request) {
        Waiting waiting = connections.get(request.getHttpChannel().getConnection());
        if (waiting != null) {
            waiting.inRequest = true;
            cancel(waiting);
        }
    }

    @Override
    public void onComplete(Request request) {
        Connection connection = request.getHttpChannel().getConnection();
        Waiting waiting = connections.get(connection);
        if (waiting != null && connection instanceof HttpConnection http) {
            waiting.inRequest = false;
            arm(http, waiting);
        }
    }

    private void arm(HttpConnection connection, Waiting waiting) {
        long round = waiting.armed.incrementAndGet();
        waiting.check = connection.getConnector().getScheduler().schedule(() -> {
            // An upgraded connection (a WebSocket) no longer has this HTTP connection on its endpoint.
            if (!waiting.inRequest && waiting.armed.get() == round && connections.containsKey(connection)
                    && connection.getEndPoint().getConnection() == connection) {
                log.debug("closing API connection from {}: no complete request head within {} ms",
                        connection.getEndPoint().getRemoteSocketAddress(), deadline.toMillis());
                connection.getEndPoint().close();
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(Waiting waiting) {
        Scheduler.Task check = waiting.check;
        if (check != null) {
            check.cancel();
        }
    }
}
