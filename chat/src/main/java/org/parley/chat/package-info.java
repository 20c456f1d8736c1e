/**
 * End-to-end encrypted chat between users' devices: the protocol and crypto half, without storage
 * or user interface (the node supplies those).
 *
 * <ul>
 *   <li>{@code identity}: the shareable user ID (Bech32m over the libsignal identity key, with a
 *       checksum), invite links and the DHT rendezvous key.
 *   <li>{@code wire}: envelopes (id, hybrid logical clock, conversation, content), size-bucket
 *       padding, the {@code /parley/chat/1.0.0} frame and ack (1.1.0: with a reply), the {@code /parley/prekeys/1.0.0}
 *       request and bundle; records and codecs, every length checked before allocation.
 *   <li>{@code session}: libsignal's stores as one interface, the prekey service (weekly signed
 *       prekey, one-time EC and Kyber pools) and the session manager (PQXDH, Double Ratchet),
 *       with typed errors for a changed identity key, a replay, a tampered message and a missing
 *       session.
 *   <li>{@code protocol}: the initiator and responder roles over libp2p streams.
 *   <li>{@code group}: group chats: signed, hash-chained membership operations, a sender-key epoch
 *       per operation ({@code GroupSenderKeys} in {@code session} wraps libsignal's sender keys),
 *       fan-out, relay and de-duplication.
 * </ul>
 *
 * libsignal loads a native library on first use and needs {@code --enable-native-access=ALL-UNNAMED}.
 * The module depends on libp2p only; no JDBC, HTTP or JSON here.
 */
package org.parley.chat;
