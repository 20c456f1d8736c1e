/**
 * Who a user is, in forms people exchange: the {@link org.parley.chat.identity.UserId} (a Bech32m
 * token over the libsignal identity key, with a checksum that catches typos), the
 * {@link org.parley.chat.identity.InviteLink} (ID, address hints, display name) and the
 * {@link org.parley.chat.identity.ChatRendezvous} key under which the user's devices are found in
 * the DHT. No I/O, no state.
 */
package org.parley.chat.identity;
