-- Whether this device journals its chat changes for its siblings: while the one row is here, each
-- change adds its history_outbox row in the change's own transaction; while it is not, no row is
-- added, since no other device of the user would read the entries. A device alone pays nothing for
-- a journal nobody reads; when a sibling appears, the row comes back and, in the same transaction,
-- every contact and message this device holds is queued once, so the siblings receive the whole
-- history. since is when journaling began (Unix milliseconds).
-- A database made before this table starts with the row, journaling as before, until the node
-- finds it has no siblings.
CREATE TABLE history_journaling (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    since INTEGER NOT NULL
);
INSERT INTO history_journaling (id, since) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
