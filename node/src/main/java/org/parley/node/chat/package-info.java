/**
 * End-to-end encrypted chat in the node, on the {@code chat} module: libsignal's stores on the
 * node database ({@link org.parley.node.chat.SqliteChatStores}, every record sealed), messages and
 * the durable outbox ({@link org.parley.node.chat.MessageStore}), the inbox that decrypts and
 * applies consent (frames that arrive together are kept in one transaction before their acks),
 * the outbox worker that finds a contact's devices (invite hints, then the DHT), starts sessions
 * from prekey bundles, keeps a window of frames in flight per stream and retries with backoff,
 * optional cover traffic ({@link org.parley.node.chat.CoverSender}), and
 * {@link org.parley.node.chat.ChatService}, what the API and CLI call.
 * {@link org.parley.node.chat.ChatFeature} wires them; where libsignal does not load, it serves
 * only the reason.
 */
package org.parley.node.chat;
