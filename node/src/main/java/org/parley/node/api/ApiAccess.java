package org.parley.node.api;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a request may use the API: the Host header must name this machine's loopback
 * (so a web page that rebinds its DNS name to 127.0.0.1 is refused), a browser's Origin must be
 * the API's own, and the request must carry the access token as {@code Authorization: Bearer},
 * as {@code ?token=}, or in the web UI's cookie ({@link #cookieName(int)}), which the page sets
 * on its first load. Immutable, thread safe.
 */
public final class ApiAccess {

    /** 256 bits: guessing the token is as hard as guessing a key. */
    static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final String BEARER = "Bearer ";
    /** The query parameter of the URL the node prints; the web UI moves it into a cookie. */
    public static final String TOKEN_PARAMETER = "token";
    private static final String COOKIE_PREFIX = "parley-token-";

    private final byte[] token;
    private final int port;

    /**
     * @param token the secret every request must carry
     * @param port the port the API listens on; Host and Origin must name it
     */
    public ApiAccess(String token, int port) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.port = port;
    }

    /** A fresh random token, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The name of the cookie holding the token of the API on {@code port}. Cookies are shared by
     * every port of a host, so each node's name carries its port: two nodes on one machine do not
     * overwrite each other's cookie.
     */
    public static String cookieName(int port) {
        return COOKIE_PREFIX + port;
    }

    /**
     * Checks {@code ctx}; Host and Origin first (403), then the token (401).
     *
     * @throws ApiException if the request may not proceed
     */
    public void check(Context ctx) {
        String host = ctx.header(Header.HOST);
        if (host == null || !isLoopback(host)) {
            throw new ApiException(403, ApiException.FORBIDDEN, "Host header '" + host
                    + "' is not this node's API; use http://127.0.0.1:" + port + "/");
        }
        String origin = ctx.header(Header.ORIGIN);
        if (origin != null && !isOwnOrigin(origin)) {
            throw new ApiException(403, ApiException.FORBIDDEN,
                    "requests from origin '" + origin + "' are not allowed; only the node's own web UI may call the API");
        }
        String presented = presentedToken(ctx);
        if (presented == null) {
            throw new ApiException(401, ApiException.UNAUTHORIZED,
                    "missing access token: open the URL the node printed at start (api: http://127.0.0.1:"
                            + port + "/?token=...), or send 'Authorization: Bearer <token>' or ?token=<token>;"
                            + " the token is also in <data-dir>/api.json");
        }
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, ApiException.UNAUTHORIZED,
                    "wrong access token (it changes at every start): open the URL the node printed at start,"
                            + " or use the token in <data-dir>/api.json");
        }
    }

    /** The bearer header first, then {@code ?token=}, then the web UI's cookie. */
    private String presentedToken(Context ctx) {
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip();
        }
        String query = ctx.queryParam(TOKEN_PARAMETER);
        return query != null ? query : ctx.cookie(cookieName(port));
    }

    /** {@code 127.0.0.1:PORT}, {@code localhost:PORT} or {@code [::1]:PORT}; the port may be omitted only for 80. */
    boolean isLoopback(String hostHeader) {
        String value = hostHeader.strip().toLowerCase(Locale.ROOT);
        int colon = value.lastIndexOf(':');
        String name;
        int headerPort;
        if (colon > value.lastIndexOf(']')) {
            name = value.substring(0, colon);
            try {
                headerPort = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            name = value;
            headerPort = 80;
        }
        return LOOPBACK_NAMES.contains(name) && headerPort == port;
    }

    private boolean isOwnOrigin(String origin) {
        String value = origin.strip().toLowerCase(Locale.ROOT);
        return value.startsWith("http://") && isLoopback(value.substring("http://".length()));
    }
}
