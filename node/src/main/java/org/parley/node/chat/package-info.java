/**
 * End-to-end encrypted chat in the node, on the {@code chat} module: libsignal's stores on the
 * node database ({@link org.parley.node.chat.SqliteChatStores}, every record sealed), messages and
 * the durable outbox ({@link org.parley.node.chat.MessageStore}), the inbox that decrypts and
 * applies consent, the outbox worker that finds a contact's devices (invite hints, then the DHT),
 * starts sessions from prekey bundles and retries with backoff, and
 * {@link org.parley.node.chat.ChatService}, what the API and CLI call. A message is a text or a
 * file offer (a file link; {@code MessageBody} says how either is kept).
 * {@link org.parley.node.chat.ChatFeature} wires them; where libsignal does not load, it serves
 * only the reason.
 */
package org.parley.node.chat;
