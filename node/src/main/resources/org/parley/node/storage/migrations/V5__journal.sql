-- The user's history journal: every device's signed chain, one row per entry. The entry bytes
-- hold the payload sealed with the user's history key (never plaintext); device, sequence
-- number, HLC and hash are copies of fields inside it, kept as columns for the version vector,
-- the chain head and display order.
CREATE TABLE journal_entries (
    device BLOB NOT NULL,
    seq INTEGER NOT NULL,
    hlc_millis INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    hash BLOB NOT NULL,
    entry BLOB NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;

-- Display order, the same on every device: HLC, then device, then sequence number.
CREATE INDEX journal_entries_display ON journal_entries (hlc_millis, hlc_counter, device, seq);
