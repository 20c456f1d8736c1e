/**
 * The browser front-end, to come: static files (no CDN, works offline) packaged in this jar
 * under {@code /web}, served by the node on 127.0.0.1 with an access token, talking to the
 * node's JSON API and WebSocket.
 *
 * <p>Nothing lives here yet; see DESIGN.md, "Web UI and API".
 */
package org.parley.webui;
