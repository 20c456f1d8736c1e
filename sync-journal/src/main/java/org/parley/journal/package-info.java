/**
 * History sync between one user's devices, to come: each device appends signed entries
 * (sequence number, hybrid logical clock, hash of the previous entry, encrypted payload) to its
 * own chain, and two devices reconcile by exchanging version vectors and streaming what the
 * other lacks, idempotently.
 *
 * <p>Nothing lives here yet; see DESIGN.md, "History sync".
 */
package org.parley.journal;
