/**
 * History sync between one user's devices: the journal on the node's database
 * ({@code journal_entries}), the {@code /parley/journal/1.0.0} responder, and {@link
 * org.parley.node.sync.SyncService}, which syncs when a sibling device connects, right after a
 * local append and every sync interval, and keeps each sibling's sync state for
 * {@code /api/sync}, the {@code sync.state} event, {@code parley sync} and the {@code sync} field
 * of {@code devices}. The device roster and history keys come through
 * {@link org.parley.node.sync.SyncFeature.Sources}: {@code LINKED_DEVICES} reads them from device
 * linking (the signed device list and history keys of the default identity). Chat messages go
 * into the journal and the other devices' come out of it into the chat through
 * {@link org.parley.node.sync.ChatJournal} ({@code chat.sent}, {@code chat.received}).
 */
package org.parley.node.sync;
