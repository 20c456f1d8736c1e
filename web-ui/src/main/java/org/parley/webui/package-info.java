/**
 * The browser front-end: static files (HTML, CSS and Lit components as ES modules) packaged in
 * this jar under {@code org/parley/webui/static}, with Lit itself taken from its WebJars. No CDN,
 * no Node.js at build time, no network fetch: the page works offline.
 *
 * <p>{@link org.parley.webui.WebUi} is the catalog the node serves from: the page (whose import
 * map points the bare module names {@code lit}, {@code lit-html}, {@code lit-element} and
 * {@code @lit/reactive-element} at {@value org.parley.webui.WebUi#LIBRARY_PREFIX}), the hash of that
 * import map for the Content-Security-Policy, the page's own files under
 * {@value org.parley.webui.WebUi#ASSET_PREFIX}, and the library modules. It knows nothing of HTTP;
 * the node's {@code web} feature serves it on 127.0.0.1 with the access token, and the page talks
 * to the node's JSON API and the {@code /api/events} WebSocket.
 *
 * <p>Screens, each addressed by a fragment such as {@code #/chats}: You (the first run's display
 * name, then the user ID, invite link and its QR code), Chats (conversations with the node's
 * unread counts and last message, a conversation with delivery states and older pages on scroll,
 * live; groups: create from contacts, a conversation labelled by sender, members with add, remove,
 * promote, rename and leave for admins), Files (share by drag and drop or picker through an upload to the node, links, downloads
 * with live progress, pause, resume, cancel and "show file"), Contacts (add by ID or invite link,
 * requests in and out, group invitations, safety number, app version warnings), Devices (a link
 * code with its QR code and a countdown, the device list with sync state, revoke), Network (this
 * node's ids and addresses, connections, DHT mode and routing table size, WebRTC availability,
 * editable bootstrap peers, live).
 */
package org.parley.webui;
