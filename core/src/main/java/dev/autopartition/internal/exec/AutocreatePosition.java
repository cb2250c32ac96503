package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a rule's autocreate expression: in a read-only transaction (or a savepoint of the caller's, rolled back
 * afterwards) under a short statement_timeout, so an expression can neither change data nor hold maintenance up.
 */
final class AutocreatePosition {
    /** How long an expression may run before it is cancelled. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final String READ_ONLY = "25006";
    private static final String CANCELED = "57014";

    private AutocreatePosition() {}

    /** Why an expression cannot be used: it failed, or it returned a type that does not fit the key. */
    static final class Failure extends AutoPartitionException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The types an expression may return for a key of the given type. */
    static Set<KeyType> accepted(KeyType key) {
        if (!key.isTime()) {
            return EnumSet.of(KeyType.SMALLINT, KeyType.INTEGER, KeyType.BIGINT);
        }
        Set<KeyType> types = EnumSet.of(KeyType.TIMESTAMPTZ, KeyType.TIMESTAMP, KeyType.DATE);
        if (key == KeyType.UUID) {
            types.add(KeyType.UUID);
        }
        return types;
    }

    /**
     * The expression's value in the key's units, or null when it returned NULL.
     *
     * @throws Failure naming the table, the expression and what went wrong
     */
    static @Nullable Long evaluate(Connection connection, AutoPartitionSpec spec, KeyType key) {
        String expression = spec.autocreateExpression();
        if (expression == null) {
            return null;
        }
        String what = "The autocreate expression of " + spec.table() + " (" + expression + ")";
        String current = "SET TRANSACTION READ ONLY";
        try {
            boolean own = connection.getAutoCommit();
            Savepoint savepoint = null;
            if (own) {
                connection.setAutoCommit(false);
            } else {
                savepoint = connection.setSavepoint();
            }
            try {
                try (var st = connection.createStatement()) {
                    st.execute(current);
                    current = "SET LOCAL statement_timeout = '" + TIMEOUT.toMillis() + "ms'";
                    st.execute(current);
                }
                current = "SELECT (" + expression + ")";
                String typname;
                try (PreparedStatement ps = connection.prepareStatement(current)) {
                    // described, not run: the type decides how the value is read
                    typname = ps.getMetaData().getColumnTypeName(1);
                }
                KeyType returned = KeyType.fromTypname(typname)
                        .filter(accepted(key)::contains)
                        .orElseThrow(() -> new Failure(
                                what + " returns " + typname + ", which does not fit the " + key.sqlName() + " key "
                                        + Sql.quote(spec.column()) + ". Fix: return " + describe(accepted(key))
                                        + (key.isTime() ? " (for example now() + interval '1 day')" : "")
                                        + ", or cast the result."));
                current = "SELECT " + units(returned) + " FROM (SELECT (" + expression + ") AS v) AS autocreate";
                try (PreparedStatement ps = connection.prepareStatement(current);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long value = rs.getLong(1);
                    if (rs.wasNull()) {
                        return null;
                    }
                    return key.convertFrom(returned, value, spec.timeZone());
                }
            } finally {
                if (own) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                } else {
                    connection.rollback(savepoint);
                }
            }
        } catch (SQLException e) {
            String why = READ_ONLY.equals(e.getSQLState())
                    ? "tried to change data, but it runs read-only. Fix: make it a query that only reads."
                    : CANCELED.equals(e.getSQLState())
                            ? "did not finish within " + TIMEOUT.toSeconds() + " s. Fix: make it cheaper (an"
                                    + " index for max(), or a simpler query)."
                            : "failed: [" + e.getSQLState() + "] " + e.getMessage()
                                    + ". Fix: correct the expression; it runs as SELECT (expression).";
            throw new Failure(what + " " + why + "\n  statement: " + current, e);
        } catch (IllegalArgumentException e) {
            throw new Failure(what + " gives a value outside the key's range: " + e.getMessage() + ".", e);
        }
    }

    private static String describe(Set<KeyType> types) {
        return String.join(" or ", types.stream().map(KeyType::sqlName).toList());
    }

    /** The value in the returned type's units, computed in SQL so no text is parsed in Java. */
    private static String units(KeyType returned) {
        return switch (returned) {
            case TIMESTAMPTZ, TIMESTAMP -> "(extract(epoch FROM v) * 1000000)::bigint";
            case DATE -> "(v - DATE '1970-01-01')::bigint";
            case UUID -> "('x' || lpad(substr(replace(v::text, '-', ''), 1, 12), 16, '0'))::bit(64)::bigint * 1000";
            default -> "v::bigint";
        };
    }
}
