/**
 * End-to-end encrypted chat in the node, on the {@code chat} module: libsignal's stores on the
 * node database ({@link org.parley.node.chat.SqliteChatStores}, every record sealed), messages and
 * the durable outbox ({@link org.parley.node.chat.MessageStore}), the inbox that decrypts and
 * applies consent, the outbox worker that finds a contact's devices (invite hints, then the DHT),
 * starts sessions from prekey bundles and retries with backoff ({@link org.parley.node.chat.DeviceFanout}
 * sends to every device on a contact's signed device list, and sent copies to this user's other
 * devices, which {@link org.parley.node.chat.SiblingCopies} keeps), and
 * {@link org.parley.node.chat.ChatService}, what the API and CLI call; group chats are
 * {@link org.parley.node.chat.GroupService} over the chat module's group engine, with their
 * chains and messages in {@code GroupStore} (migration 4).
 * {@link org.parley.node.chat.ChatHistory} tells history sync of each one-to-one text kept and
 * keeps the ones the user's other devices kept (once each, by message id).
 * {@link org.parley.node.chat.ChatFeature} wires them; where libsignal does not load, it serves
 * only the reason.
 */
package org.parley.node.chat;
