package org.parley.node.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.server.ConnectionLimit;
import org.parley.node.service.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API: Javalin on 127.0.0.1 only, every request checked by {@link ApiAccess},
 * connections held to {@link ApiLimits}, JSON in and out, errors (Jetty's own included) as
 * {@link ApiError}. Thread safe; one request per virtual thread.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Only this machine may reach the API. */
    public static final String BIND_ADDRESS = "127.0.0.1";
    /** Jetty's default: a token, a Host, an Origin and a few browser headers fit many times over. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /**
     * The policy of every answer that is not the web page: a JSON answer opened in a browser may
     * load and run nothing and be framed by no page. The web UI's routes set their own.
     */
    public static final String API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
    /** Marks a request whose error answer is written, so the 404 fallback keeps an endpoint's own 404. */
    private static final String ERROR_ANSWERED = "parley.error-answered";

    private final Javalin app;
    private final String token;
    private volatile ApiAccess access;

    private ApiServer(Javalin app, String token) {
        this.app = app;
        this.token = token;
    }

    /**
     * Starts the API on {@code 127.0.0.1:port} (0 picks a free port).
     *
     * @throws IOException if the port is taken, with a message saying what to do
     */
    public static ApiServer start(int port, String token, List<ApiRoutes> routes) throws IOException {
        return start(port, token, routes, ApiLimits.DEFAULTS);
    }

    /**
     * Starts the API on {@code 127.0.0.1:port} (0 picks a free port) with {@code limits}.
     *
     * @throws IOException if the port is taken, with a message saying what to do
     */
    public static ApiServer start(int port, String token, List<ApiRoutes> routes, ApiLimits limits)
            throws IOException {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.useVirtualThreads = true;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = ApiJson.MAX_REQUEST_BYTES;
            config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, true));
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
                // No minimum body data rate: Jetty measures it from the body's first byte to each read,
                // so on a loaded machine a handler that reads a 50-byte body 60 ms late failed with a
                // 500. Bodies are read only after the token check, so only the user's own clients can
                // trickle one, and the header deadline and connection cap bound what a stranger holds.
                http.setSendServerVersion(false);
            });
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                server.addBean(new ConnectionLimit(limits.maxConnections(), server));
                server.addBean(new HeaderDeadline(server, limits.headerDeadline()));
            });
        });
        ApiServer server = new ApiServer(app, token);
        app.before(server::checkAccess);
        // WebSocket upgrades (/api/events) pass the same token, Host and Origin checks.
        app.wsBeforeUpgrade(server::checkAccess);
        app.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        app.exception(ServiceException.class, (e, ctx) -> {
            // An expected outcome (bad input, nobody found): the caller gets the message, the log no trace.
            log.debug("API request {} {} refused: {}", ctx.method(), ctx.path(), e.getMessage());
            respond(ctx, ApiException.of(e));
        });
        app.exception(Exception.class, (e, ctx) -> {
            // Our bug: the log gets the trace, the caller a message without Java in it.
            log.error("API request {} {} failed", ctx.method(), ctx.path(), e);
            respond(ctx, new ApiException(500, ApiException.INTERNAL,
                    "the node failed to handle this request; its log (<data-dir>/logs/parley.log) says why"));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ERROR_ANSWERED) == null) {
                respond(ctx, ApiException.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.error(405, ctx -> respond(ctx, new ApiException(405, ApiException.BAD_REQUEST,
                "method " + ctx.method() + " is not allowed on " + ctx.path())));
        for (ApiRoutes group : routes) {
            group.addTo(app);
        }
        try {
            app.start(BIND_ADDRESS, port);
        } catch (JavalinBindException e) {
            app.stop();
            throw new IOException("API port " + port + " on " + BIND_ADDRESS + " is already in use: is another node"
                    + " running? Choose another with --api-port N (0 picks a free port)", e);
        }
        server.access = new ApiAccess(token, app.port());
        return server;
    }

    /** The port the API actually listens on. */
    public int port() {
        return app.port();
    }

    public String token() {
        return token;
    }

    private void checkAccess(Context ctx) {
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff");
        // The token travels in the page URL; never hand it to another site as a Referer.
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header(Header.CONTENT_SECURITY_POLICY, API_CONTENT_SECURITY_POLICY);
        ApiAccess current = access;
        if (current == null) {
            throw new ApiException(503, ApiException.UNAVAILABLE, "the API is still starting; try again");
        }
        current.check(ctx);
    }

    private static void respond(Context ctx, ApiException e) {
        ctx.attribute(ERROR_ANSWERED, Boolean.TRUE);
        ctx.status(e.status()).json(e.body());
    }

    @Override
    public void close() {
        app.stop();
    }
}
