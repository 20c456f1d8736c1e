/**
 * Pairwise end-to-end encryption through libsignal. {@link org.parley.chat.session.ChatStores}
 * is the storage contract (libsignal's own stores plus prekey bookkeeping) that the node
 * implements on its database; {@link org.parley.chat.session.InMemoryChatStores} serves tests.
 * {@link org.parley.chat.session.PrekeyService} rotates the weekly signed prekey, keeps the
 * one-time EC and Kyber pools and builds bundles; {@link org.parley.chat.session.SessionManager}
 * starts PQXDH sessions and encrypts and decrypts envelopes with the Double Ratchet, failing with
 * one {@link org.parley.chat.session.ChatCryptoException} subtype per reaction the node needs.
 * {@link org.parley.chat.session.SafetyNumber} is what two users compare to verify keys, and
 * {@link org.parley.chat.session.LibsignalRuntime} says whether libsignal loads here at all.
 * Addresses are (user ID text, device number). No I/O.
 */
package org.parley.chat.session;
