package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationSpec;
import dev.autopartition.TableName;

/**
 * What the planner needs, all of it read before planning: the table's inventory, the spec, the server's major
 * version, the migration's number and names, and the cut point (the zero-copy strategy's; unused by the copy).
 */
record PlanInput(
        SourceTable source,
        MigrationSpec spec,
        int serverMajor,
        MigrationStore store,
        long id,
        String newName,
        String retiredName,
        long cut) {

    TableName table() {
        return source.name();
    }

    TableName newTable() {
        return TableName.of(source.name().schema(), newName);
    }

    TableName retiredTable() {
        return TableName.of(source.name().schema(), retiredName);
    }

    /** Whether identity columns are carried over (PostgreSQL 17 and later copy them with LIKE ... INCLUDING IDENTITY). */
    boolean identity() {
        return serverMajor >= 17 && !source.identityColumns().isEmpty();
    }

    MigrationSql sql() {
        return new MigrationSql(source, store, id, newName);
    }

    SwapSql swap() {
        return new SwapSql(source, newName, retiredName);
    }

    AttachSql attach() {
        return new AttachSql(source, newName, cut);
    }
}
