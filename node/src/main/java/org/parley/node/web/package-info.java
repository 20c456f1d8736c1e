/**
 * The web UI feature: serves the {@code web-ui} module's page and files on the API's port, moves
 * the access token from the printed URL into an HttpOnly, SameSite=Strict cookie, sets the page's
 * strict Content-Security-Policy, and opens the browser for {@code --open}.
 */
package org.parley.node.web;
