-- Group messages that arrived before the operation or sender key they need (a relayed copy
-- outran its author's key), kept so that a restart does not lose them: they are tried again when
-- what they need comes. One row per waiting message, oldest first by position; sender and device
-- name the member's device it came from; message is the group message as an envelope's bytes,
-- sealed with 'group_waiting.message:<identity>/<position>'. Rewritten whole when the set changes.
CREATE TABLE group_waiting (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sender TEXT NOT NULL,
    device INTEGER NOT NULL,
    message BLOB NOT NULL,
    PRIMARY KEY (identity_id, position)
);

-- Delivered receipts for our own group messages: one row per message and member that told it
-- holds the message (only for a message of ours that is kept in group_message).
CREATE TABLE group_receipt (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    group_id BLOB NOT NULL,
    message_id BLOB NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (identity_id, group_id, message_id, member)
);
