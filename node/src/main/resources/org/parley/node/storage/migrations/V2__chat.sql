-- The user identities this node holds. key_pair is libsignal's serialized IdentityKeyPair, sealed
-- with the context 'chat_identity.key_pair:<user_id>'. display_name is the name the user chose to
-- show in invite links (public by nature).
CREATE TABLE chat_identity (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE,
    key_pair BLOB NOT NULL,
    registration_id INTEGER NOT NULL,
    device_id INTEGER NOT NULL,
    display_name TEXT,
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);

-- libsignal's stores, per local identity. Public identity keys of peers are stored as they are;
-- every session, prekey and sender-key record is sealed with the context
-- '<table>.record:<identity id>/<row key>'.
CREATE TABLE chat_peer_identity (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    device INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    PRIMARY KEY (identity_id, name, device)
) WITHOUT ROWID;

CREATE TABLE chat_session (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    device INTEGER NOT NULL,
    record BLOB NOT NULL,
    PRIMARY KEY (identity_id, name, device)
) WITHOUT ROWID;

-- kind: 'ec' (one-time EC), 'signed', 'kyber'; offered: 1 once a bundle carried the key.
CREATE TABLE chat_prekey (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    key_id INTEGER NOT NULL,
    record BLOB NOT NULL,
    offered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (identity_id, kind, key_id)
) WITHOUT ROWID;

CREATE TABLE chat_prekey_next_id (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    next_id INTEGER NOT NULL,
    PRIMARY KEY (identity_id, kind)
) WITHOUT ROWID;

CREATE TABLE chat_sender_key (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    device INTEGER NOT NULL,
    distribution_id TEXT NOT NULL,
    record BLOB NOT NULL,
    PRIMARY KEY (identity_id, name, device, distribution_id)
) WITHOUT ROWID;

-- Contacts of a local identity. state: 'requested' (we asked), 'pending' (they asked),
-- 'accepted', 'declined', 'blocked'. intro is sealed ('contact.intro:<identity id>/<user_id>');
-- hints are the invite link's addresses, one per line; peer_id and device the device last reached.
CREATE TABLE contact (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    name TEXT,
    display_name TEXT,
    state TEXT NOT NULL,
    intro BLOB,
    verified INTEGER NOT NULL DEFAULT 0,
    key_warning INTEGER NOT NULL DEFAULT 0,
    hints TEXT NOT NULL DEFAULT '',
    peer_id TEXT,
    device INTEGER,
    conversation BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (identity_id, user_id)
) WITHOUT ROWID;

-- Messages of a conversation with one contact. body is sealed
-- ('chat_message.body:<identity id>/<contact>/<message id hex>'). state: 'pending', 'sent',
-- 'delivered', 'read', 'failed' for ours; 'received', 'read' for theirs.
CREATE TABLE chat_message (
    id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    contact TEXT NOT NULL,
    message_id BLOB NOT NULL,
    outgoing INTEGER NOT NULL,
    hlc_millis INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    body BLOB NOT NULL,
    state TEXT NOT NULL,
    failure TEXT,
    UNIQUE (identity_id, contact, message_id)
);
CREATE INDEX chat_message_order ON chat_message (identity_id, contact, hlc_millis, hlc_counter, message_id);

-- Envelopes waiting to reach a contact's device, oldest first. envelope is the encoded envelope,
-- sealed ('chat_outbox.envelope:<row id>' is not known before the insert, so the message id:
-- 'chat_outbox.envelope:<identity id>/<contact>/<message id hex>').
CREATE TABLE chat_outbox (
    id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    contact TEXT NOT NULL,
    message_id BLOB NOT NULL,
    envelope BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT
);
CREATE INDEX chat_outbox_due ON chat_outbox (identity_id, contact, id);
