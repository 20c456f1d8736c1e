-- Group messages wait for the history journal in history_outbox too: a row of change
-- 'group_message' names its group here (contact then holds the sender, message_id the message);
-- NULL for every other change, which names a one-to-one conversation by its contact.
ALTER TABLE history_outbox ADD COLUMN group_id BLOB;
