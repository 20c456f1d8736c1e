-- Files this node shares, served from where they lie. The path and the file key are sealed by
-- ColumnCipher (contexts 'file_shares.path:<file id>', 'file_shares.file_key:<file id>'): the
-- database never shows what is shared or the key that opens it. The manifest is public (anyone
-- with the file id may fetch it) and holds the name only sealed.
CREATE TABLE file_shares (
    file_id TEXT PRIMARY KEY,
    sealed_path BLOB NOT NULL,
    sealed_key BLOB NOT NULL,
    manifest BLOB NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Downloads not finished yet (running, paused or failed). The link carries the key and the
-- name, so it is sealed whole ('file_downloads.link:<file id>'), as is the target directory
-- ('file_downloads.out_dir:<file id>'). The pieces and bitfield live under
-- <data dir>/downloads/<file id>.part and .bits; a finished download becomes a share.
CREATE TABLE file_downloads (
    file_id TEXT PRIMARY KEY,
    sealed_link BLOB NOT NULL,
    sealed_out_dir BLOB NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
