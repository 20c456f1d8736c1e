package org.parley.node.web;

import java.util.Locale;

/**
 * The Content-Security-Policy of the web page: scripts, styles, images and fetches from the node
 * itself only, the event socket on the page's own host, the one inline element the page has (its
 * import map) allowed by hash, no plugins, no framing, no {@code <base>}, and DOM sinks only through
 * Lit's Trusted Types policy. Stateless.
 */
final class PagePolicy {

    /** The Trusted Types policy lit-html creates to turn its own templates into HTML. */
    static final String LIT_TRUSTED_TYPES_POLICY = "lit-html";

    private PagePolicy() {}

    /**
     * The policy for a page served to {@code host} (the request's Host header, already checked to
     * be this node's loopback name and port).
     *
     * @param importMapHash the CSP hash source of the page's import map, e.g. {@code 'sha256-...'}
     */
    static String forHost(String host, String importMapHash) {
        String origin = host.strip().toLowerCase(Locale.ROOT);
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self' " + importMapHash,
                "style-src 'self'",
                "img-src 'self'",
                // Chromium counts ws: on the same host as 'self', but not every browser does.
                "connect-src 'self' ws://" + origin,
                "object-src 'none'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "require-trusted-types-for 'script'",
                "trusted-types " + LIT_TRUSTED_TYPES_POLICY);
    }
}
