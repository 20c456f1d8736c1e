package org.parley.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatementCacheTest {

    private Connection real;
    private StatementCache cache;

    @BeforeEach
    void open() throws SQLException {
        // As the node database opens it: the driver's generated keys off.
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setGetGeneratedKeys(false);
        real = DriverManager.getConnection("jdbc:sqlite::memory:", config.toProperties());
        try (Statement s = real.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
        }
        cache = new StatementCache(real);
    }

    @AfterEach
    void close() throws SQLException {
        cache.close();
        real.close();
    }

    private void insert(int k, String v) throws SQLException {
        try (PreparedStatement s = cache.connection().prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            s.setInt(1, k);
            s.setString(2, v);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private List<String> values() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT v FROM t ORDER BY k");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aStatementIsCompiledOnceAndReusedWithFreshParameters() throws SQLException {
        for (int i = 0; i < 5; i++) {
            insert(i, "v" + i);
        }
        assertThat(values()).containsExactly("v0", "v1", "v2", "v3", "v4");
        assertThat(values()).hasSize(5);
        assertThat(cache.prepared()).isEqualTo(2);
        assertThat(cache.reused()).isEqualTo(5);
    }

    @Test
    void aResultSetLeftOpenIsClosedOnGiveBackSoTheNextUseStartsFromTheTop() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT v FROM t ORDER BY k")) {
            ResultSet rs = s.executeQuery();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("a");
        }
        assertThat(values()).containsExactly("a", "b");
    }

    @Test
    void theSameSqlUsedWhileItIsOutGetsAStatementOfItsOwn() throws SQLException {
        insert(1, "a");
        insert(2, "b");
        List<String> pairs = new ArrayList<>();
        try (PreparedStatement outer = cache.connection().prepareStatement("SELECT v FROM t ORDER BY k");
                ResultSet rs = outer.executeQuery()) {
            while (rs.next()) {
                pairs.add(rs.getString(1) + values());
            }
        }
        assertThat(pairs).containsExactly("a[a, b]", "b[a, b]");
        assertThat(values()).containsExactly("a", "b");
    }

    @Test
    void aStatementGivenBackCannotBeUsedThroughItsOldHandle() throws SQLException {
        PreparedStatement s = cache.connection().prepareStatement("SELECT v FROM t");
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(s::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("after close");
    }

    @Test
    void aBatchLeftUnexecutedDoesNotLeakIntoTheNextUse() throws SQLException {
        try (PreparedStatement s = cache.connection().prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            s.setInt(1, 1);
            s.setString(2, "abandoned");
            s.addBatch();
        }
        insert(2, "kept");
        assertThat(values()).containsExactly("kept");
    }

    @Test
    void atMostTheLimitIsKeptAndTheLeastRecentlyUsedIsFinalized() throws SQLException {
        for (int i = 0; i <= StatementCache.MAX_STATEMENTS; i++) {
            try (PreparedStatement s = cache.connection().prepareStatement("SELECT " + i)) {
                s.executeQuery();
            }
        }
        // "SELECT 0" was the eldest: evicted, so compiled again; the newest is still kept.
        long before = cache.prepared();
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT " + StatementCache.MAX_STATEMENTS)) {
            s.executeQuery();
        }
        assertThat(cache.prepared()).isEqualTo(before);
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT 0")) {
            s.executeQuery();
        }
        assertThat(cache.prepared()).isEqualTo(before + 1);
    }

    @Test
    void aStatementLeftOpenByFailedWorkIsReclaimedAndKept() throws SQLException {
        insert(1, "a");
        PreparedStatement abandoned = cache.connection().prepareStatement("SELECT v FROM t ORDER BY k");
        abandoned.executeQuery().next();
        cache.reclaim();
        assertThat(abandoned.isClosed()).isTrue();
        long before = cache.prepared();
        assertThat(values()).containsExactly("a");
        assertThat(cache.prepared()).as("the reclaimed statement was kept for reuse").isEqualTo(before);
    }

    @Test
    void keptStatementsHoldNothingOpenSoAVacuumCanRun() throws Exception {
        vacuum("at first");
        insert(1, "a");
        vacuum("after insert");
        insert(2, "b");
        assertThat(values()).containsExactly("a", "b");
        vacuum("after values");
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT v FROM t WHERE k = ?")) {
            s.setInt(1, 1);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
        vacuum("after one row");
        try (PreparedStatement s = cache.connection().prepareStatement("SELECT count(*) FROM t")) {
            s.executeQuery().next();
        }
        vacuum("after count");
        java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("statement-cache").resolve("copy.db");
        try (Statement s = cache.connection().createStatement()) {
            s.executeUpdate("VACUUM INTO '" + copy + "'");
        }
        assertThat(copy).exists();
    }

    private void vacuum(String when) throws Exception {
        java.nio.file.Path copy = java.nio.file.Files.createTempDirectory("statement-cache").resolve("copy.db");
        try (Statement s = cache.connection().createStatement()) {
            s.executeUpdate("VACUUM INTO '" + copy + "'");
        } catch (SQLException e) {
            throw new AssertionError(when, e);
        }
    }
}
