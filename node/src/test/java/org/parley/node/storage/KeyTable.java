package org.parley.node.storage;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A node database on a real file with one table of integer keys, {@code t}, for the storage tests. */
final class KeyTable {

    private KeyTable() {}

    /** Opens (or creates) the database in {@code file} and creates the table. */
    static NodeDatabase open(Path file) throws StorageException {
        NodeDatabase database = NodeDatabase.open(file);
        database.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
            }
            return null;
        });
        return database;
    }

    /** Inserts key {@code k}; returns the rows inserted. */
    static SqlWork<Integer> insert(int k) {
        return c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                s.setInt(1, k);
                return s.executeUpdate();
            }
        };
    }

    /** The committed keys, in order. */
    static List<Integer> keys(NodeDatabase database) throws StorageException {
        return database.read(c -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT k FROM t ORDER BY k"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        });
    }
}
