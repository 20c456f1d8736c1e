package org.parley.node.events;

import io.javalin.Javalin;
import io.javalin.websocket.WsCloseStatus;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.node.api.ApiRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /api/events} WebSocket: each connection subscribes to the {@link EventBus} and
 * receives every event as one JSON text message ({@link EventJson}). The API server checks the
 * upgrade request like any request (token, Host, Origin); the web UI's page authenticates by its
 * token cookie, since a browser cannot set headers on a WebSocket. The socket only sends: a message
 * from the client closes it. Thread safe.
 */
public final class EventsWebSocket implements ApiRoutes {

    public static final String PATH = "/api/events";
    /**
     * Open sockets at most: a few browser tabs and scripts; each holds a queue of up to
     * {@link EventBus#SUBSCRIBER_QUEUE_CAPACITY} events, so a runaway client cannot hold many.
     */
    public static final int MAX_CONNECTIONS = 32;

    private static final Logger log = LoggerFactory.getLogger(EventsWebSocket.class);

    private final EventBus bus;
    private final Map<String, EventSubscription> subscriptions = new ConcurrentHashMap<>();

    public EventsWebSocket(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void addTo(Javalin app) {
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                if (subscriptions.size() >= MAX_CONNECTIONS) {
                    ctx.closeSession(WsCloseStatus.TRY_AGAIN_LATER, "already " + MAX_CONNECTIONS
                            + " event sockets are open; close one and connect again");
                    return;
                }
                // A ping every 15 s keeps a quiet socket inside Jetty's 30 s idle timeout.
                ctx.enableAutomaticPings();
                String id = ctx.sessionId();
                subscriptions.put(id, bus.subscribe("ws-" + id, event -> send(ctx, event)));
            });
            ws.onMessage(ctx -> ctx.closeSession(WsCloseStatus.POLICY_VIOLATION,
                    "this socket only sends events; use the HTTP API to act"));
            ws.onBinaryMessage(ctx -> ctx.closeSession(WsCloseStatus.POLICY_VIOLATION,
                    "this socket only sends events; use the HTTP API to act"));
            ws.onClose(ctx -> unsubscribe(ctx.sessionId()));
            ws.onError(ctx -> unsubscribe(ctx.sessionId()));
        });
    }

    /** How many event sockets are open now. */
    public int connectionCount() {
        return subscriptions.size();
    }

    private void send(WsContext ctx, NodeEvent event) {
        try {
            ctx.send(EventJson.toJson(event));
        } catch (Exception e) {
            // The client went away mid-send; its close event may never come. Jetty throws a
            // (checked) IOException through Javalin's Kotlin code here, so catch it too: uncaught,
            // it ended this socket's delivery thread and kept its subscription open.
            log.debug("event socket {} failed: {}", ctx.sessionId(), e.toString());
            unsubscribe(ctx.sessionId());
        }
    }

    private void unsubscribe(String sessionId) {
        EventSubscription subscription = subscriptions.remove(sessionId);
        if (subscription != null) {
            subscription.close();
        }
    }
}
