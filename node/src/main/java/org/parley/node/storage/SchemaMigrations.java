package org.parley.node.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema's history: ordered numbered steps, each applied once in its own
 * transaction and recorded in {@code schema_version}. A database from a newer Parley (a version
 * above {@link #LATEST}) is refused, never migrated down. Stateless.
 *
 * <p>A feature adds its tables by appending a {@link Migration} here and its script under
 * {@code resources/org/parley/node/storage/migrations/}; a statement in a script ends with
 * {@code ;} at the end of a line.
 */
final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

    static final List<Migration> ALL = List.of(
            new Migration(1, "storage key check and key-value store", "V1__storage_check_and_kv.sql"),
            new Migration(2, "chat identities, libsignal stores, contacts, messages and outbox", "V2__chat.sql"),
            new Migration(3, "file shares and downloads", "V3__files.sql"),
            new Migration(4, "group chats: operation chains, memberships, messages", "V4__groups.sql"),
            new Migration(5, "history journal entries", "V5__journal.sql"),
            new Migration(6, "device lists and history keys", "V6__devices.sql"),
            new Migration(7, "unread group messages", "V7__group_unread.sql"),
            new Migration(8, "chat changes waiting for the history journal", "V8__history_outbox.sql"),
            new Migration(9, "group messages waiting for their sender key, group receipts",
                    "V9__group_waiting_and_receipts.sql"),
            new Migration(10, "group messages waiting for the history journal", "V10__history_outbox_groups.sql"),
            new Migration(11, "when each contact's consent or name last changed", "V11__contact_clock.sql"),
            new Migration(12, "the last contact request known from each contact", "V12__contact_request_id.sql"),
            new Migration(13, "whether chat changes are journaled for sibling devices", "V13__history_journaling.sql"));
    /** The newest schema this code knows. */
    static final int LATEST = ALL.getLast().version();

    private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
            + " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)";

    private SchemaMigrations() {}

    /** The schema version of the database, 0 for an empty one; reads only. */
    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet table = statement.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
                if (!table.next() || table.getInt(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet max = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                return max.next() ? max.getInt(1) : 0;
            }
        }
    }

    /** Applies every step above {@code from}, each in its own transaction. */
    static void migrate(Connection connection, int from) throws SQLException {
        for (Migration migration : ALL) {
            if (migration.version() <= from) {
                continue;
            }
            List<String> statements = statements(migration);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate(CREATE_VERSION_TABLE);
                for (String sql : statements) {
                    statement.executeUpdate(sql);
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    record.setInt(1, migration.version());
                    record.setString(2, migration.description());
                    record.setString(3, Instant.now().toString());
                    record.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            log.info("database schema migrated to version {} ({})", migration.version(), migration.description());
        }
    }

    private static List<String> statements(Migration migration) {
        String path = "migrations/" + migration.resource();
        String script;
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema migration " + path + " is missing from the jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema migration " + path, e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("schema migration " + path + " ends without ';'");
        }
        return statements;
    }
}
