package dev.autopartition.internal.migrate;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.MigrationSpec;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.CatalogReader;
import dev.autopartition.internal.catalog.ColumnInfo;
import dev.autopartition.internal.catalog.OidQuery;
import dev.autopartition.internal.catalog.TableInfo;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads what a migration must carry over, and refuses, before anything changes, what it cannot carry over safely,
 * with a message that says what to change first.
 */
final class Inventory {
    private final CatalogReader reader = new CatalogReader();
    private final String catalogSchema;

    Inventory(String catalogSchema) {
        this.catalogSchema = catalogSchema;
    }

    SourceTable read(Connection connection, MigrationSpec spec, int serverMajor) {
        TableName name = spec.table();
        TableInfo table = reader.table(connection, name)
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.TABLE, "Table " + name + " does not exist. Fix: check the schema and the spelling."));
        table.requireManageable(catalogSchema, "migrateToPartitioned");
        if (table.isPartitioned() || table.isPartition() || table.relkind() != 'r') {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    name + " is not a plain table, so there is nothing to migrate. Fix: use"
                            + " autoPartition on a partitioned table.");
        }
        String key = spec.partitioning().column();
        ColumnInfo column = table.column(key)
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.COLUMN,
                        "Column " + Sql.quote(key)
                                + " does not exist in " + name + ". Fix: use one of its columns: "
                                + table.columns().stream()
                                        .map(c -> Sql.quote(c.name()))
                                        .collect(Collectors.joining(", "))
                                + "."));
        KeyType keyType = KeyType.fromTypname(column.typname())
                .filter(t -> t != KeyType.UUID)
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.COLUMN,
                        "Column "
                                + Sql.quote(key) + " of " + name + " has type " + column.formattedType()
                                + "; a migration partitions"
                                + " by a timestamptz, timestamp, date, smallint, integer or bigint column (a uuid key is"
                                + " managed by autoPartition on a new or empty table, not migrated yet)."));
        try {
            Grid.checkFits(keyType, spec.partitioning().increment());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(
                    SpecField.INCREMENT,
                    "Increment '" + spec.partitioning().increment() + "' does not fit column " + Sql.quote(key) + " of "
                            + name + ": " + e.getMessage() + ".");
        }
        checkTierTablespace(connection, spec.partitioning());
        if (!column.notNull()) {
            throw new InvalidSpecException(
                    SpecField.COLUMN,
                    "Column " + Sql.quote(key) + " of " + name + " allows NULL, and a NULL key"
                            + " fits no partition. Fix: make it NOT NULL first (online: ADD CONSTRAINT ... CHECK ("
                            + key
                            + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL).");
        }
        try {
            Blockers.refuse(connection, table.oid(), name);
            return inventory(connection, table, key, keyType, spec, serverMajor);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the definition of " + name, "catalog queries", e);
        }
    }

    /** The rule is declared at the cutover, hours later perhaps: a tablespace that is not there fails now instead. */
    private void checkTierTablespace(Connection connection, dev.autopartition.AutoPartitionSpec rule) {
        String tablespace = rule.tierTablespace();
        if (tablespace != null
                && reader.tablespaceUsable(connection, tablespace).isEmpty()) {
            throw new InvalidSpecException(
                    SpecField.TIER_TABLESPACE,
                    "Tier tablespace " + Sql.quote(tablespace) + " of " + rule.table()
                            + " does not exist. Fix: CREATE TABLESPACE it first (outside a transaction), or name an existing"
                            + " tablespace (SELECT spcname FROM pg_tablespace).");
        }
    }

    private SourceTable inventory(
            Connection connection, TableInfo table, String key, KeyType keyType, MigrationSpec spec, int major)
            throws SQLException {
        long oid = table.oid();
        List<SourceTable.Unique> uniques = uniques(connection, oid);
        SourceTable.Unique pk = uniques.stream()
                .filter(SourceTable.Unique::primary)
                .findFirst()
                .orElseThrow(() -> new InvalidSpecException(
                        SpecField.TABLE,
                        "Cannot migrate " + table.name() + " online: it has no primary key, which the"
                                + " migration needs to follow changed rows. Fix: add one (CREATE UNIQUE INDEX CONCURRENTLY,"
                                + " then ADD PRIMARY KEY USING INDEX)."));
        List<String> pkTypes = new ArrayList<>();
        for (String c : pk.columns()) {
            pkTypes.add(table.column(c).orElseThrow().formattedType());
        }
        List<String> identity = OidQuery.strings(
                connection,
                "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = ?1 AND attidentity <> ''"
                        + " AND NOT attisdropped",
                oid);
        if (!identity.isEmpty() && major < 17) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    "Cannot migrate " + table.name() + " on PostgreSQL " + major + ": identity"
                            + " column " + Sql.quote(identity.get(0)) + " is not allowed on a partitioned table before"
                            + " PostgreSQL 17. Fix: use a sequence default (bigserial) or PostgreSQL 17+.");
        }
        List<SourceTable.InboundForeignKey> inbound = inbound(connection, oid);
        checkInbound(table, key, inbound, spec);
        String[] ownerEtc = ownerCommentRls(connection, oid);
        return new SourceTable(
                oid,
                table.name(),
                table.columns(),
                key,
                keyType,
                pk.name(),
                pk.columns(),
                pkTypes,
                uniques,
                named(connection, """
                        SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
                         WHERE conrelid = ?1 AND contype = 'f' AND conparentid = 0 ORDER BY conname""", oid),
                inbound,
                indexes(connection, table, key),
                named(connection, """
                        SELECT tgname, pg_catalog.pg_get_triggerdef(oid) FROM pg_catalog.pg_trigger
                         WHERE tgrelid = ?1 AND NOT tgisinternal AND tgname NOT LIKE 'autopartition%' ORDER BY tgname""", oid),
                named(connection, """
                        SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(v.relname),
                               pg_catalog.pg_get_viewdef(v.oid)
                          FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                          JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
                          JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
                         WHERE d.refobjid = ?1 AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND v.relkind = 'v'
                           AND v.oid <> ?1""", oid),
                policies(connection, oid),
                ownerEtc[2].equals("t"),
                ownerEtc[3].equals("t"),
                grants(connection, oid),
                ownerEtc[0],
                ownerEtc[1],
                ownerEtc[4].isEmpty() ? null : ownerEtc[4],
                named(connection, """
                        SELECT s.oid::regclass::text, a.attname
                          FROM pg_catalog.pg_depend d
                          JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                          JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                         WHERE d.refobjid = ?1 AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'""", oid),
                identity,
                Math.max(0, (long) reltuples(connection, oid)),
                keyIndexed(connection, oid, key));
    }

    /** Whether a valid, non-partial index starts with the key, so a range of keys is read without a full scan. */
    private static boolean keyIndexed(Connection connection, long oid, String key) throws SQLException {
        String sql = """
                SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a
                  ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = ?1 AND i.indisvalid AND i.indpred IS NULL AND a.attname =""";
        return !OidQuery.strings(connection, sql + " " + Sql.literal(key), oid).isEmpty();
    }

    private static void checkInbound(
            TableInfo table, String key, List<SourceTable.InboundForeignKey> inbound, MigrationSpec spec) {
        for (SourceTable.InboundForeignKey fk : inbound) {
            if (fk.referencedColumns().contains(key)) {
                continue;
            }
            String carrier = spec.keyColumns().get(fk.name());
            if (carrier == null) {
                throw new InvalidSpecException(
                        SpecField.FOREIGN_KEY_KEY_COLUMN,
                        "Cannot migrate " + table.name() + " online: foreign key "
                                + Sql.quote(fk.name()) + " of " + fk.referencing() + " references "
                                + fk.referencedColumns() + ", which will no longer be unique once the key must include "
                                + Sql.quote(key) + ". Fix: give " + fk.referencing()
                                + " a column holding the referenced"
                                + " row's " + Sql.quote(key) + " and name it with foreignKeyKeyColumn(\"" + fk.name()
                                + "\", column), or drop the foreign key first.");
            }
        }
        for (String constraint : spec.keyColumns().keySet()) {
            if (inbound.stream().noneMatch(fk -> fk.name().equals(constraint))) {
                throw new InvalidSpecException(
                        SpecField.FOREIGN_KEY_KEY_COLUMN,
                        "foreignKeyKeyColumn names constraint " + Sql.quote(constraint)
                                + ", but no foreign key of that name references " + table.name() + ". Fix: use one of "
                                + inbound.stream().map(f -> Sql.quote(f.name())).toList() + ".");
            }
        }
    }

    private static List<SourceTable.Unique> uniques(Connection connection, long oid) throws SQLException {
        String sql = """
                SELECT c.conname, c.contype = 'p', pg_catalog.pg_get_constraintdef(c.oid),
                       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                       pg_catalog.pg_relation_size(c.conindid)
                  FROM pg_catalog.pg_constraint c WHERE c.conrelid = ? AND c.contype IN ('p', 'u') ORDER BY c.conname""";
        List<SourceTable.Unique> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new SourceTable.Unique(
                            rs.getString(1),
                            Arrays.asList((String[]) rs.getArray(4).getArray()),
                            rs.getBoolean(2),
                            rs.getString(3),
                            rs.getLong(5)));
                }
            }
        }
        return result;
    }

    private static List<SourceTable.InboundForeignKey> inbound(Connection connection, long oid) throws SQLException {
        String sql = """
                SELECT c.conname, n.nspname, r.relname,
                       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                       ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o),
                       substring(pg_catalog.pg_get_constraintdef(c.oid) from '\\)( ON .*| MATCH .*|)$')
                  FROM pg_catalog.pg_constraint c
                  JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
                  JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                 WHERE c.confrelid = ? AND c.contype = 'f' AND c.conrelid <> c.confrelid AND c.conparentid = 0
                 ORDER BY c.conname""";
        List<SourceTable.InboundForeignKey> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String options = rs.getString(6);
                    result.add(new SourceTable.InboundForeignKey(
                            rs.getString(1),
                            TableName.of(rs.getString(2), rs.getString(3)),
                            Arrays.asList((String[]) rs.getArray(4).getArray()),
                            Arrays.asList((String[]) rs.getArray(5).getArray()),
                            options == null ? "" : options.trim()));
                }
            }
        }
        return result;
    }

    private static List<SourceTable.Index> indexes(Connection connection, TableInfo table, String key)
            throws SQLException {
        String sql = """
                SELECT i.relname, d.def, x.indisunique,
                       EXISTS (SELECT 1 FROM unnest(x.indkey) k(n) WHERE k.n = ?),
                       CASE WHEN starts_with(d.def, d.prefix) THEN substr(d.def, length(d.prefix) + 1) END
                  FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
                  JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
                  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
                 CROSS JOIN LATERAL (SELECT pg_catalog.pg_get_indexdef(x.indexrelid) AS def,
                        'CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
                        || quote_ident(i.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(t.relname)
                        || ' ' AS prefix) d
                 WHERE x.indrelid = ? AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                        WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
                 ORDER BY i.relname""";
        List<SourceTable.Index> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setInt(1, table.column(key).orElseThrow().number());
            ps.setLong(2, table.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(3) && !rs.getBoolean(4)) {
                        throw new InvalidSpecException(
                                SpecField.TABLE,
                                "Cannot migrate " + table.name() + " online: unique index "
                                        + Sql.quote(rs.getString(1)) + " does not contain the partition key "
                                        + Sql.quote(key)
                                        + ", and a partitioned table's unique indexes must. Fix: replace it by a unique"
                                        + " constraint (which the migration widens) or add the key to it.");
                    }
                    String rest = rs.getString(5);
                    if (rest == null) {
                        throw new InvalidSpecException(
                                SpecField.TABLE,
                                "Cannot migrate " + table.name() + " online: index "
                                        + Sql.quote(rs.getString(1)) + " (" + rs.getString(2)
                                        + ") cannot be reproduced."
                                        + " Fix: drop it before the migration and create it again afterwards.");
                    }
                    result.add(new SourceTable.Index(rs.getString(1), rs.getBoolean(3), rest));
                }
            }
        }
        return result;
    }

    private static List<String> policies(Connection connection, long oid) throws SQLException {
        return OidQuery.strings(connection, """
                SELECT 'CREATE POLICY ' || quote_ident(p.polname) || ' ON {table} AS '
                       || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END
                       || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                                   WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
                       || ' TO ' || CASE WHEN p.polroles = '{0}' THEN 'PUBLIC'
                                         ELSE (SELECT string_agg(quote_ident(rolname), ', ') FROM pg_catalog.pg_roles
                                                WHERE oid = ANY (p.polroles)) END
                       || coalesce(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
                       || coalesce(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
                  FROM pg_catalog.pg_policy p WHERE p.polrelid = ?1 ORDER BY p.polname""", oid);
    }

    private static List<String> grants(Connection connection, long oid) throws SQLException {
        return OidQuery.strings(connection, """
                SELECT 'GRANT ' || a.privilege_type || ' ON {table} TO '
                       || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END
                       || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
                  FROM pg_catalog.pg_class c, aclexplode(c.relacl) a WHERE c.oid = ?1 AND a.grantee <> c.relowner""", oid);
    }

    private static String[] ownerCommentRls(Connection connection, long oid) throws SQLException {
        String sql = """
                SELECT pg_catalog.pg_get_userbyid(c.relowner), current_user, c.relrowsecurity::text,
                       c.relforcerowsecurity::text, coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '')
                  FROM pg_catalog.pg_class c WHERE c.oid = ?""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3).substring(0, 1),
                    rs.getString(4).substring(0, 1),
                    rs.getString(5)
                };
            }
        }
    }

    private static double reltuples(Connection connection, long oid) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT reltuples FROM pg_catalog.pg_class WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    private static List<SourceTable.Named> named(Connection connection, String sql, long oid) throws SQLException {
        List<SourceTable.Named> result = new ArrayList<>();
        for (String[] row : OidQuery.rows(connection, sql, oid)) {
            result.add(new SourceTable.Named(row[0], row[1]));
        }
        return result;
    }
}
