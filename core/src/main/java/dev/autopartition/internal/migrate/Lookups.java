package dev.autopartition.internal.migrate;

import dev.autopartition.StatementFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Yes-or-no questions to the catalog, asked when a rerun must know what an earlier run left. */
final class Lookups {
    private Lookups() {}

    /**
     * Whether {@code query}, with {@code parameters} bound in order, returns a row.
     *
     * @param failure what could not be looked up, for the error
     */
    static boolean exists(Connection connection, String query, String failure, String... parameters) {
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StatementFailedException(failure, query, e);
        }
    }
}
