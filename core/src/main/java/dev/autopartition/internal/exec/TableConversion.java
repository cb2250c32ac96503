package dev.autopartition.internal.exec;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.OidQuery;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.plan.ConvertTable;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prepares the conversion of an empty plain table into a partitioned table of the same name. It refuses, before
 * anything changes, whatever it cannot carry over faithfully (and says what to do instead); the rest becomes one
 * transaction: check the table is still empty, create the partitioned twin with LIKE, hand over owned sequences,
 * drop the original, take its name, and re-create constraints, indexes, comment, owner and grants.
 */
final class TableConversion {
    private static final String REFUSALS = """
            SELECT 'foreign key ' || quote_ident(c.conname) || ' of ' || c.conrelid::regclass::text
                   || ' references it' FROM pg_catalog.pg_constraint c
             WHERE c.confrelid = ?1 AND c.contype = 'f' AND c.conparentid = 0
            UNION ALL
            SELECT 'trigger ' || quote_ident(t.tgname) FROM pg_catalog.pg_trigger t
             WHERE t.tgrelid = ?1 AND NOT t.tgisinternal
            UNION ALL
            SELECT 'row-level security policy ' || quote_ident(p.polname) FROM pg_catalog.pg_policy p
             WHERE p.polrelid = ?1
            UNION ALL
            SELECT 'row-level security is enabled' FROM pg_catalog.pg_class c WHERE c.oid = ?1 AND c.relrowsecurity
            UNION ALL
            SELECT 'it is unlogged' FROM pg_catalog.pg_class c WHERE c.oid = ?1 AND c.relpersistence = 'u'
            UNION ALL
            SELECT DISTINCT 'view ' || r.ev_class::regclass::text || ' depends on it'
              FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
             WHERE d.refobjid = ?1 AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.ev_class <> ?1
            UNION ALL
            SELECT 'it is in publication ' || quote_ident(p.pubname) FROM pg_catalog.pg_publication_rel pr
              JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = ?1
            UNION ALL
            SELECT 'it takes part in table inheritance' FROM pg_catalog.pg_inherits i
             WHERE i.inhrelid = ?1 OR i.inhparent = ?1
            UNION ALL
            SELECT 'exclusion constraint ' || quote_ident(c.conname) FROM pg_catalog.pg_constraint c
             WHERE c.conrelid = ?1 AND c.contype = 'x'
            """;
    private static final String CONSTRAINTS = """
            SELECT c.conname, c.contype, pg_catalog.pg_get_constraintdef(c.oid),
                   ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)
              FROM pg_catalog.pg_constraint c
             WHERE c.conrelid = ? AND c.contype IN ('p', 'u', 'f') AND c.conparentid = 0
             ORDER BY c.contype DESC, c.conname
            """;
    private static final String INDEXES = """
            SELECT i.relname, pg_catalog.pg_get_indexdef(x.indexrelid), x.indisunique,
                   EXISTS (SELECT 1 FROM unnest(x.indkey) k(n) WHERE k.n = ?)
              FROM pg_catalog.pg_index x
              JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = ? AND NOT EXISTS (
                   SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
             ORDER BY i.relname
            """;
    private static final String SEQUENCES = """
            SELECT s.oid::regclass::text, a.attname, d.deptype
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.refobjid = ? AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
            """;
    private static final String OWNER_COMMENT_GRANTS = """
            SELECT pg_catalog.pg_get_userbyid(c.relowner), current_user, pg_catalog.obj_description(c.oid, 'pg_class'),
                   ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
                                || chr(9) || a.privilege_type || chr(9) || a.is_grantable::text
                           FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)
              FROM pg_catalog.pg_class c WHERE c.oid = ?
            """;

    private TableConversion() {}

    static ConvertTable prepare(Connection connection, TableInfo table, String column, int serverMajor) {
        try {
            refuseWhatCannotMove(connection, table);
            if (serverMajor < 17 && hasIdentity(connection, table.oid())) {
                throw new InvalidSpecException(
                        SpecField.TABLE,
                        "Cannot turn " + table.name() + " into a partitioned table: it has an"
                                + " identity column, which partitioned tables support only from PostgreSQL 17 (this server is "
                                + serverMajor
                                + "). Fix: use bigserial instead of an identity column, or PostgreSQL 17+.");
            }
            return build(connection, table, column);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the definition of " + table.name(), "catalog queries", e);
        }
    }

    private static void refuseWhatCannotMove(Connection connection, TableInfo table) throws SQLException {
        List<String> problems = OidQuery.strings(connection, REFUSALS, table.oid());
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    "Cannot turn the empty table " + table.name() + " into a partitioned table"
                            + " automatically: " + String.join("; ", problems)
                            + ". Fix: remove these first and add them"
                            + " again after autoPartition, or create the table partitioned (PARTITION BY RANGE).");
        }
    }

    private static boolean hasIdentity(Connection connection, long oid) throws SQLException {
        String sql = "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = ? AND attidentity <> '' LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static ConvertTable build(Connection connection, TableInfo table, String column) throws SQLException {
        TableName name = table.name();
        String twin = Sql.truncateToBytes(name.name(), 40) + "_autopartition_new";
        TableName twinName = TableName.of(name.schema(), twin);
        List<String> statements = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        statements.add("LOCK TABLE " + name.quoted() + " IN ACCESS EXCLUSIVE MODE");
        statements.add("DO $autopartition$ BEGIN IF EXISTS (SELECT 1 FROM " + name.quoted() + ") THEN RAISE EXCEPTION"
                + " USING MESSAGE = "
                + Sql.literal(name + " has rows now; autoPartition converts only empty tables."
                        + " Use migrateToPartitioned for a table with data.")
                + "; END IF; END $autopartition$");
        statements.add("CREATE TABLE " + twinName.quoted() + " (LIKE " + name.quoted() + " INCLUDING DEFAULTS"
                + " INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING"
                + " COMPRESSION INCLUDING COMMENTS INCLUDING STATISTICS) PARTITION BY RANGE (" + Sql.quote(column)
                + ")");
        for (String[] sequence : OidQuery.rows(connection, SEQUENCES, table.oid())) {
            if (sequence[2].equals("a")) {
                statements.add("ALTER SEQUENCE " + sequence[0] + " OWNED BY " + twinName.quoted() + "."
                        + Sql.quote(sequence[1]));
            }
        }
        statements.add("DROP TABLE " + name.quoted());
        statements.add("ALTER TABLE " + twinName.quoted() + " RENAME TO " + Sql.quote(name.name()));
        constraints(connection, table, column, statements, notes);
        indexes(connection, table, column, statements);
        ownerCommentGrants(connection, table, statements);
        return new ConvertTable(name, column, statements, notes);
    }

    private static void constraints(
            Connection connection, TableInfo table, String column, List<String> statements, List<String> notes)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(CONSTRAINTS)) {
            ps.setLong(1, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String conname = rs.getString(1);
                    String type = rs.getString(2);
                    String definition = rs.getString(3);
                    List<String> columns = List.of((String[]) rs.getArray(4).getArray());
                    if (!type.equals("f") && !columns.contains(column)) {
                        definition = widen(table.name(), conname, type, definition, columns, column);
                        notes.add((type.equals("p") ? "primary key " : "unique constraint ") + Sql.quote(conname)
                                + " gains the partition key " + Sql.quote(column)
                                + ": PostgreSQL requires unique keys of a partitioned table to contain it");
                    }
                    statements.add("ALTER TABLE " + table.name().quoted() + " ADD CONSTRAINT " + Sql.quote(conname)
                            + " " + definition);
                }
            }
        }
    }

    private static String widen(
            TableName table, String conname, String type, String definition, List<String> columns, String column) {
        String upper = definition.toUpperCase(java.util.Locale.ROOT);
        if (upper.contains(" INCLUDE ")
                || upper.contains("DEFERRABLE")
                || upper.contains(" WITH (")
                || upper.contains(" USING INDEX TABLESPACE")
                || upper.contains("NULLS NOT DISTINCT")) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    "Cannot carry over constraint " + Sql.quote(conname) + " of " + table + " ("
                            + definition + "): it must gain the partition key " + Sql.quote(column)
                            + ", and its options"
                            + " cannot be kept automatically. Fix: drop it, run autoPartition, and add it again with the key.");
        }
        List<String> widened = new ArrayList<>(columns);
        widened.add(column);
        return (type.equals("p") ? "PRIMARY KEY (" : "UNIQUE (")
                + widened.stream().map(Sql::quote).collect(Collectors.joining(", ")) + ")";
    }

    private static void indexes(Connection connection, TableInfo table, String column, List<String> statements)
            throws SQLException {
        int keyNumber = table.column(column).orElseThrow().number();
        try (PreparedStatement ps = connection.prepareStatement(INDEXES)) {
            ps.setInt(1, keyNumber);
            ps.setLong(2, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String index = rs.getString(1);
                    String definition = rs.getString(2);
                    if (rs.getBoolean(3) && !rs.getBoolean(4)) {
                        throw new InvalidSpecException(
                                SpecField.TABLE,
                                "Cannot carry over unique index " + Sql.quote(index) + " of "
                                        + table.name()
                                        + ": a unique index of a partitioned table must contain the partition"
                                        + " key " + Sql.quote(column) + ". Fix: drop it or add the key to it first.");
                    }
                    // The partitioned twin has taken the original's name, so the original definition applies as is.
                    statements.add(definition);
                }
            }
        }
    }

    private static void ownerCommentGrants(Connection connection, TableInfo table, List<String> statements)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(OWNER_COMMENT_GRANTS)) {
            ps.setLong(1, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String owner = rs.getString(1);
                String self = rs.getString(2);
                String comment = rs.getString(3);
                String quoted = table.name().quoted();
                if (comment != null) {
                    statements.add("COMMENT ON TABLE " + quoted + " IS " + Sql.literal(comment));
                }
                if (!owner.equals(self)) {
                    statements.add("ALTER TABLE " + quoted + " OWNER TO " + Sql.quote(owner));
                }
                for (String grant : (String[]) rs.getArray(4).getArray()) {
                    String[] parts = grant.split("\t", -1);
                    statements.add("GRANT " + parts[1] + " ON " + quoted + " TO " + parts[0]
                            + (parts[2].equals("true") ? " WITH GRANT OPTION" : ""));
                }
            }
        }
    }
}
