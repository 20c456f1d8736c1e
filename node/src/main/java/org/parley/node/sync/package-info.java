/**
 * History sync between one user's devices: the journal on the node's database
 * ({@code journal_entries}), the {@code /parley/journal/1.0.0} responder, and {@link
 * org.parley.node.sync.SyncService}, which syncs when a sibling device connects, right after a
 * local append and every sync interval, and keeps each sibling's sync state for
 * {@code /api/sync}, the {@code sync.state} event and {@code parley sync}. The device roster and
 * history key come through {@link org.parley.node.sync.SyncFeature.Sources}; device linking
 * supplies the real ones.
 */
package org.parley.node.sync;
