/**
 * End-to-end encrypted chat in the node, on the {@code chat} module: libsignal's stores on the
 * node database ({@link org.parley.node.chat.SqliteChatStores}, every record sealed), messages and
 * the durable outbox ({@link org.parley.node.chat.MessageStore}), the inbox that decrypts and
 * applies consent (frames that arrive together are kept in one transaction before their acks),
 * the outbox worker that finds a contact's devices (invite hints, then the DHT), starts sessions
 * from prekey bundles, keeps a window of frames in flight per stream and retries with backoff
 * ({@link org.parley.node.chat.DeviceFanout} sends to every device on a contact's signed device
 * list, and sent copies to this user's other devices, which {@link org.parley.node.chat.SiblingCopies}
 * keeps), optional cover traffic ({@link org.parley.node.chat.CoverSender}), and
 * {@link org.parley.node.chat.ChatService}, what the API and CLI call; group chats are
 * {@link org.parley.node.chat.GroupService} over the chat module's group engine, with their
 * chains and messages in {@code GroupStore} (migration 4). A message is a text or a file offer (a
 * file link; {@code MessageBody} says how either is kept).
 * {@link org.parley.node.chat.ChatHistory} tells history sync of each one-to-one text kept and
 * keeps the ones the user's other devices kept (once each, by message id).
 * {@link org.parley.node.chat.ChatFeature} wires them; where libsignal does not load, it serves
 * only the reason. The chat and prekey protocols also run on a relay's limited connection (their
 * frames are small), so contacts reachable only through a relay still chat.
 */
package org.parley.node.chat;
