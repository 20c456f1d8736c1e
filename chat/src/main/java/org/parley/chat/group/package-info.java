/**
 * Group chats: membership as a hash chain of signed operations ({@link org.parley.chat.group.GroupOp},
 * {@link org.parley.chat.group.SignedGroupOp}, {@link org.parley.chat.group.GroupOpCodec}), the rules
 * every member checks ({@code GroupRules}) and the chain with its fork rule
 * ({@link org.parley.chat.group.GroupLog}), and {@link org.parley.chat.group.GroupEngine}, one
 * identity's groups: it issues and applies operations, starts a sender-key epoch on each, and
 * encrypts, decrypts, relays and de-duplicates group messages. No network and no storage here: the
 * engine returns deliveries and texts, and the node carries and keeps them.
 */
package org.parley.chat.group;
