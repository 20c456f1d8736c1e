-- Unread group messages, so that the chat list counts them like a contact's: 1 for a received
-- message the user has not seen yet, 0 once seen (and for our own). Messages kept before this
-- column existed count as seen.
ALTER TABLE group_message ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
CREATE INDEX group_message_unread ON group_message (identity_id, group_id) WHERE unread = 1;
