-- When each contact's consent or name last changed, read from the hybrid logical clock of the
-- device that made the change, so that this user's devices apply each other's contact changes
-- newest first, not in the order they arrive. A removed contact keeps its row here (removed = 1):
-- a change older than the removal, arriving late from another device, cannot bring it back.
-- A contact changed before this table existed has no row; a change to it applies as before.
CREATE TABLE contact_clock (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    hlc_millis INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    PRIMARY KEY (identity_id, user_id)
) WITHOUT ROWID;
