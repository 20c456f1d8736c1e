-- The envelope id of the last contact request this user's devices knew from each contact, kept
-- with the contact's reading and through its removal: a late copy of a request the user already
-- removed (one that reaches a device after the removal did) is then known as that request and
-- dropped, where a new request from the same sender (a new id) still shows. Empty for a contact
-- whose request came before this column, or who never asked.
ALTER TABLE contact_clock ADD COLUMN request_id BLOB;
