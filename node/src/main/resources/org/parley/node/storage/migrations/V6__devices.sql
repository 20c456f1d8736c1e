-- The signed device list of each local identity (SignedDeviceList's encoding: public by nature,
-- contacts receive it). version repeats the list's version for queries.
CREATE TABLE device_list (
    identity_id INTEGER PRIMARY KEY REFERENCES chat_identity (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    list BLOB NOT NULL
);

-- The history key of each local identity, one row per generation (a revoke adds one); key is
-- sealed with the context 'history_key.key:<identity id>/<generation>'.
CREATE TABLE history_key (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    key BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (identity_id, generation)
) WITHOUT ROWID;

-- The signed device lists of contacts, as their devices answered or announced them (verified
-- against the contact's identity key before they are stored); a higher version replaces a lower.
-- fetched_at is when it was last confirmed.
CREATE TABLE contact_device_list (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    contact TEXT NOT NULL,
    version INTEGER NOT NULL,
    list BLOB NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (identity_id, contact)
) WITHOUT ROWID;
