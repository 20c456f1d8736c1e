-- Chat changes waiting to become history journal entries (a transactional outbox): a row is
-- written in the same transaction as the message or state change it names, and deleted in the
-- same transaction as the journal entry made from it, so a crash loses no change and doubles none.
-- It holds only references (the message's identity, contact and id, as chat_message does in
-- the clear), never a text: the entry is built from the sealed message row when it is written.
-- change: 'message' (a message kept) or 'state' (a message's state moved).
CREATE TABLE history_outbox (
    id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    contact TEXT NOT NULL,
    message_id BLOB NOT NULL,
    change TEXT NOT NULL
);
