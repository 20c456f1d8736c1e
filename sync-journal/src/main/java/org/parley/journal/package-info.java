/**
 * History sync between one user's devices. Each device appends signed entries to its own chain
 * ({@link org.parley.journal.Journal}, through {@link org.parley.journal.JournalWriter}): device
 * PeerId, sequence number, hybrid logical clock, hash of the previous entry, a kind opaque to
 * this module and a payload sealed with the user's history key. Two devices reconcile over
 * {@code /parley/journal/1.0.0} ({@link org.parley.journal.protocol.JournalSync}) by swapping
 * version vectors and streaming, in batches, what the other lacks; every received entry is
 * checked (device list, signature, chain link) before it is stored, so exchanges are idempotent
 * and resume where a broken one stopped. Edits and deletes are entries of their own naming their
 * target ({@link org.parley.journal.EntryRef}); {@link org.parley.journal.JournalView} applies
 * them, the same on every device.
 *
 * <p>Packages: {@code entry} (the entry, its canonical encoding, signing, sealing, the HLC),
 * {@code store} (the store interface the node implements, and an in-memory one),
 * {@code protocol} and {@code protocol.wire} (the exchange and its messages). The node supplies
 * the {@link org.parley.journal.DeviceRoster} and {@link org.parley.journal.entry.HistoryKeys}.
 */
package org.parley.journal;
