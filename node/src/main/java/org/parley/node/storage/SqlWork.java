package org.parley.node.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on the node database's connection, given by {@link NodeDatabase}; it must not keep the connection. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection connection) throws SQLException;
}
