-- Group chats. Each group an identity holds a history of keeps its operation chain, one row per
-- operation in chain order; op is the signed operation's bytes (it holds the group's name and its
-- members' keys), sealed with 'group_op.op:<identity>/<group hex>/<position>'.
CREATE TABLE group_op (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    group_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    op BLOB NOT NULL,
    PRIMARY KEY (identity_id, group_id, position)
);

-- What the user made of a group: invited (not answered yet), joined, declined.
CREATE TABLE group_membership (
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    group_id BLOB NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (identity_id, group_id)
);

-- Group messages, ours and the members'. body is the text, sealed with
-- 'group_message.body:<identity>/<group hex>/<message id hex>'. A message id is kept once per
-- group, whichever path the message came by.
CREATE TABLE group_message (
    id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES chat_identity (id) ON DELETE CASCADE,
    group_id BLOB NOT NULL,
    sender TEXT NOT NULL,
    message_id BLOB NOT NULL,
    outgoing INTEGER NOT NULL,
    hlc_millis INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    body BLOB NOT NULL,
    UNIQUE (identity_id, group_id, message_id)
);
CREATE INDEX group_message_order ON group_message (identity_id, group_id, hlc_millis, hlc_counter, sender, message_id);
