/**
 * The node's storage: one SQLite database ({@code parley.db}, WAL, numbered schema migrations in
 * {@link org.parley.node.storage.SchemaMigrations}) and the storage key ({@code storage.key},
 * optionally wrapped by a passphrase through Argon2id) that {@link org.parley.node.storage.ColumnCipher}
 * seals secrets and message bodies with.
 *
 * <p>Features reach the database only through store interfaces in their own terms;
 * {@link org.parley.node.storage.KeyValueStore} and its SQLite implementation show the pattern.
 * Neither file is ever moved aside or replaced when it cannot be opened: {@link
 * org.parley.node.storage.NodeStorage#open} stops with a {@link
 * org.parley.node.storage.StorageException} that says what to do.
 */
package org.parley.node.storage;
