-- One row: a fixed text sealed with the storage key when the database is created, so a start
-- with another storage.key is refused before anything is written with the wrong key.
CREATE TABLE storage_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sealed BLOB NOT NULL
);

-- Small values by namespace and key (settings, drafts); every value sealed by ColumnCipher
-- with the context 'kv.value:<namespace>/<key>'.
CREATE TABLE kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
