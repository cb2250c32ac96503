package dev.autopartition.internal.migrate;

import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.OidQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** What keeps a table from being migrated online at all, each with what to change first. */
final class Blockers {
    private static final String SQL = """
            SELECT 'materialized view ' || r.ev_class::regclass::text || ' depends on it; drop it before the migration'
                   ' and create it again afterwards'
              FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
              JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
             WHERE d.refobjid = ?1 AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND v.relkind = 'm'
            UNION ALL
            SELECT 'it is in publication ' || quote_ident(p.pubname) || '; remove it (ALTER PUBLICATION ... DROP TABLE)'
                   ' and add the partitioned table after the cutover'
              FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
             WHERE pr.prrelid = ?1
            UNION ALL
            SELECT 'publication ' || quote_ident(p.pubname) || ' is FOR ALL TABLES and would publish the migration''s'
                   ' helper tables' FROM pg_catalog.pg_publication p WHERE p.puballtables
            UNION ALL
            SELECT 'it takes part in table inheritance' FROM pg_catalog.pg_inherits i
             WHERE i.inhrelid = ?1 OR i.inhparent = ?1
            UNION ALL
            SELECT 'exclusion constraint ' || quote_ident(c.conname) || ' cannot be carried over'
              FROM pg_catalog.pg_constraint c WHERE c.conrelid = ?1 AND c.contype = 'x'
            UNION ALL
            SELECT 'column ' || quote_ident(a.attname) || ' has column-level privileges, which are not carried over'
              FROM pg_catalog.pg_attribute a WHERE a.attrelid = ?1 AND a.attacl IS NOT NULL AND a.attnum > 0
            UNION ALL
            SELECT 'it is unlogged' FROM pg_catalog.pg_class c WHERE c.oid = ?1 AND c.relpersistence = 'u'
            UNION ALL
            SELECT 'rule ' || quote_ident(r.rulename) || ' is defined on it'
              FROM pg_catalog.pg_rewrite r WHERE r.ev_class = ?1 AND r.rulename <> '_RETURN'
            """;

    private Blockers() {}

    static void refuse(Connection connection, long oid, TableName name) throws SQLException {
        List<String> blockers = OidQuery.strings(connection, SQL, oid);
        if (!blockers.isEmpty()) {
            throw new InvalidSpecException(
                    SpecField.TABLE, "Cannot migrate " + name + " online: " + String.join("; ", blockers) + ".");
        }
    }
}
