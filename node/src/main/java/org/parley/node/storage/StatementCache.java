package org.parley.node.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.core.CoreStatement;

/**
 * Keeps the node database's prepared statements for reuse: SQLite compiles a statement's SQL each
 * time it is prepared, and the chat path prepares the same few dozen statements for every message
 * (compiling was about a tenth of its CPU). {@link #connection()} is the connection the stores'
 * work sees: its {@code prepareStatement(sql)} hands out a kept statement, and that statement's
 * {@code close()} gives it back (its result sets closed, its parameters and batch cleared) instead
 * of finalizing it. Everything else goes straight to the real connection.
 *
 * <p>A statement whose SQL is already handed out (a query run again while its first result set is
 * still being read) is prepared afresh and closed for real, so two uses never share one. At most
 * {@link #MAX_STATEMENTS} are kept; the least recently used one beyond that is finalized.
 *
 * <p>Not thread safe: {@link NodeDatabase} uses it under its lock, one caller at a time.
 */
final class StatementCache implements AutoCloseable {

    /** Statements kept: well above the distinct SQL the node runs, so only ad hoc SQL is ever evicted. */
    static final int MAX_STATEMENTS = 256;

    private final Connection real;
    private final Connection view;
    /** Kept statements by SQL, least recently used first; a statement handed out is not in here. */
    private final LinkedHashMap<String, PreparedStatement> idle = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    /** Statements handed out and not yet given back, by SQL. */
    private final Map<String, Lent> out = new java.util.HashMap<>();
    private long prepared;
    private long reused;

    StatementCache(Connection real) {
        this.real = real;
        this.view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, this::onConnection);
    }

    /** The connection to give the stores' work. */
    Connection connection() {
        return view;
    }

    /** Statements compiled so far, and handed out again without compiling: for tests and benchmarks. */
    long prepared() {
        return prepared;
    }

    long reused() {
        return reused;
    }

    private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("prepareStatement") && args != null && args.length == 1
                && args[0] instanceof String sql) {
            return handOut(sql);
        }
        if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
            return invoke(real, method, args);
        }
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, method, args, "cached view of " + real);
        }
        return invoke(real, method, args);
    }

    private PreparedStatement handOut(String sql) throws SQLException {
        if (out.containsKey(sql)) {
            // Already in use further up this caller's stack: a statement of its own, closed for real.
            prepared++;
            return real.prepareStatement(sql);
        }
        PreparedStatement statement = idle.remove(sql);
        if (statement == null) {
            prepared++;
            statement = real.prepareStatement(sql);
        } else {
            reused++;
        }
        Lent lent = new Lent(sql, statement);
        out.put(sql, lent);
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, lent);
    }

    /**
     * Gives back every statement still handed out: called when the database's work is over, so a
     * statement its work failed to close (an exception before its close) is reset and kept, not
     * lost to the cache for good. Its old handle then fails like a closed statement.
     */
    void reclaim() {
        for (Lent lent : List.copyOf(out.values())) {
            try {
                lent.giveBack();
            } catch (SQLException e) {
                // giveBack finalized it; nothing is kept.
            }
        }
    }

    /** One statement as a caller holds it: its result sets tracked, its close a give-back. */
    private final class Lent implements InvocationHandler {
        private final String sql;
        private final PreparedStatement statement;
        private final List<ResultSet> results = new ArrayList<>(1);
        private boolean returned;

        Lent(String sql, PreparedStatement statement) {
            this.sql = sql;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args, "cached " + statement);
            }
            if (name.equals("close")) {
                giveBack();
                return null;
            }
            if (name.equals("isClosed")) {
                return returned || statement.isClosed();
            }
            if (returned) {
                throw new SQLException("statement used after close: " + sql);
            }
            Object result = StatementCache.invoke(statement, method, args);
            if (result instanceof ResultSet rs) {
                results.add(rs);
            }
            return result;
        }

        /** Resets the statement and keeps it; one that will not reset is finalized instead. Idempotent. */
        void giveBack() throws SQLException {
            if (returned) {
                return;
            }
            returned = true;
            out.remove(sql);
            try {
                for (ResultSet rs : results) {
                    rs.close();
                }
                statement.clearParameters();
                statement.clearBatch();
                reset(statement);
            } catch (SQLException e) {
                statement.close();
                throw e;
            }
            PreparedStatement displaced = idle.put(sql, statement);
            if (displaced != null && displaced != statement) {
                closeQuietly(displaced);
            }
        }
    }

    /**
     * Resets {@code statement} in SQLite. A statement stepped but not run to the end (a query whose
     * result set the caller never took, or left unread) counts as still running until it is reset:
     * kept like that, it would hold a read snapshot, keep WAL checkpoints from finishing and make a
     * {@code VACUUM} fail. JDBC has no reset, so this goes to the driver's statement handle (public
     * in sqlite-jdbc).
     */
    private static void reset(PreparedStatement statement) throws SQLException {
        if (statement instanceof CoreStatement core && !core.pointer.isClosed()) {
            core.pointer.safeRunInt((db, pointer) -> db.reset(pointer));
        }
    }

    /** A proxy's own {@code equals}, {@code hashCode} and {@code toString}: by identity, and {@code label}. */
    private static Object objectMethod(Object proxy, Method method, Object[] args, String label) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> label;
        };
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // Finalizing a statement fails only on a closed connection, where it is gone anyway.
        }
    }

    /** Finalizes every kept statement; the connection itself is the caller's to close. */
    @Override
    public void close() {
        reclaim();
        idle.values().forEach(StatementCache::closeQuietly);
        idle.clear();
    }
}
