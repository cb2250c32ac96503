package dev.autopartition.internal.migrate;

import dev.autopartition.Execution;
import dev.autopartition.LockMode;
import dev.autopartition.TableName;
import dev.autopartition.internal.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statements of a copy migration's cutover and undo, typed: the names change hands between the original and the
 * new table, inbound foreign keys, views and triggers follow. They run in the cutover's (or undo's) transaction, which
 * already holds ACCESS EXCLUSIVE on the original.
 */
final class SwapSql {
    private final SourceTable source;
    private final TableName newTable;
    private final TableName retiredTable;

    SwapSql(SourceTable source, String newName, String retiredName) {
        this.source = source;
        this.newTable = TableName.of(source.name().schema(), newName);
        this.retiredTable = TableName.of(source.name().schema(), retiredName);
    }

    private static String columns(List<String> columns) {
        return columns.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    private static ScriptStatement exclusive(String sql, TableName table) {
        return ScriptStatement.of(sql, LockMode.ACCESS_EXCLUSIVE, table.quoted(), "ACCESS EXCLUSIVE on " + table);
    }

    /** The swap: the new table takes the original's name and keys, the original steps aside. */
    List<ScriptStatement> swap(boolean identity) {
        return exchange(source.name(), retiredTable, newTable, true, identity);
    }

    /** The swap undone: the original takes its name and keys back. */
    List<ScriptStatement> unswap(boolean identity) {
        return exchange(source.name(), newTable, retiredTable, false, identity);
    }

    /**
     * The table named {@code original} steps aside as {@code aside}, and {@code incoming} takes the name. Forward, the
     * original's keys get the retired names and the new table's temporary names become the real ones; backward the
     * other way round.
     */
    private List<ScriptStatement> exchange(
            TableName original, TableName aside, TableName incoming, boolean forward, boolean identity) {
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add(exclusive(
                    "ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(unique.name()) + " TO "
                            + Sql.quote(
                                    forward ? MigrationSql.retired(unique.name()) : MigrationSql.temp(unique.name())),
                    original));
        }
        for (SourceTable.Index index : source.indexes()) {
            sql.add(exclusive(
                    "ALTER INDEX "
                            + TableName.of(original.schema(), index.name()).quoted() + " RENAME TO "
                            + Sql.quote(forward ? MigrationSql.retired(index.name()) : MigrationSql.temp(index.name())),
                    original));
        }
        sql.add(exclusive("ALTER TABLE " + original.quoted() + " RENAME TO " + Sql.quote(aside.name()), original));
        sql.add(exclusive("ALTER TABLE " + incoming.quoted() + " RENAME TO " + Sql.quote(original.name()), incoming));
        for (SourceTable.Unique unique : source.uniques()) {
            sql.add(exclusive(
                    "ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                            + Sql.quote(
                                    forward ? MigrationSql.temp(unique.name()) : MigrationSql.retired(unique.name()))
                            + " TO " + Sql.quote(unique.name()),
                    original));
        }
        for (SourceTable.Index index : source.indexes()) {
            sql.add(exclusive(
                    "ALTER INDEX "
                            + TableName.of(
                                            original.schema(),
                                            forward
                                                    ? MigrationSql.temp(index.name())
                                                    : MigrationSql.retired(index.name()))
                                    .quoted()
                            + " RENAME TO " + Sql.quote(index.name()),
                    original));
        }
        for (SourceTable.Named sequence : source.sequences()) {
            sql.add(exclusive(
                    "ALTER SEQUENCE " + sequence.name() + " OWNED BY " + original.quoted() + "."
                            + Sql.quote(sequence.definition()),
                    original));
        }
        if (identity) {
            sql.addAll(carryIdentity(forward ? retiredTable : newTable, original));
        }
        return sql;
    }

    /** Identity sequences of {@code to} continue after every value {@code from} has handed out. */
    private List<ScriptStatement> carryIdentity(TableName from, TableName to) {
        List<ScriptStatement> sql = new ArrayList<>();
        for (String column : source.identityColumns()) {
            String col = Sql.literal(column);
            sql.add(ScriptStatement.of(
                    "SELECT setval(pg_get_serial_sequence(" + Sql.literal(to.quoted()) + ", " + col + "), GREATEST("
                            + "coalesce(pg_sequence_last_value(pg_get_serial_sequence(" + Sql.literal(from.quoted())
                            + ", " + col + ")::regclass), 0), coalesce((SELECT max(" + Sql.quote(column) + ") FROM "
                            + from.quoted() + "), 0), coalesce(pg_sequence_last_value(pg_get_serial_sequence("
                            + Sql.literal(to.quoted()) + ", " + col + ")::regclass), 0), 1))",
                    LockMode.ACCESS_SHARE,
                    from.quoted(),
                    "ACCESS SHARE on " + from + " (reads its largest key)"));
        }
        return sql;
    }

    /**
     * Inbound foreign keys re-pointed at {@code target} (NOT VALID; validated after the commit). Toward the new
     * table a key that lacks the partition key is widened with the column the spec names.
     */
    List<ScriptStatement> repointForeignKeys(TableName target, boolean toNew, Map<String, String> keyColumns) {
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            sql.add(dropForeignKey(fk));
            sql.add(addForeignKey(fk, target, toNew, keyColumns));
        }
        return sql;
    }

    static ScriptStatement dropForeignKey(SourceTable.InboundForeignKey fk) {
        return exclusive(
                "ALTER TABLE " + fk.referencing().quoted() + " DROP CONSTRAINT " + Sql.quote(fk.name()),
                fk.referencing());
    }

    /** An inbound foreign key pointed at {@code target}, NOT VALID; widened by the spec's column when asked. */
    ScriptStatement addForeignKey(
            SourceTable.InboundForeignKey fk, TableName target, boolean widen, Map<String, String> keyColumns) {
        List<String> referencing = new ArrayList<>(fk.referencingColumns());
        List<String> referenced = new ArrayList<>(fk.referencedColumns());
        String carrier = keyColumns.get(fk.name());
        if (widen && carrier != null && !referenced.contains(source.keyColumn())) {
            referencing.add(carrier);
            referenced.add(source.keyColumn());
        }
        return ScriptStatement.of(
                "ALTER TABLE " + fk.referencing().quoted() + " ADD CONSTRAINT " + Sql.quote(fk.name())
                        + " FOREIGN KEY (" + columns(referencing) + ") REFERENCES " + target.quoted() + " ("
                        + columns(referenced) + ")" + (fk.options().isEmpty() ? "" : " " + fk.options())
                        + " NOT VALID",
                LockMode.SHARE_ROW_EXCLUSIVE,
                fk.referencing().quoted(),
                "SHARE ROW EXCLUSIVE on " + fk.referencing());
    }

    /** Validation of the re-pointed keys, each on its own outside a transaction (it scans the referencing table). */
    List<ScriptStatement> validateForeignKeys() {
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            sql.add(ScriptStatement.outside(
                    "ALTER TABLE " + fk.referencing().quoted() + " VALIDATE CONSTRAINT " + Sql.quote(fk.name()),
                    LockMode.SHARE_UPDATE_EXCLUSIVE,
                    fk.referencing().quoted(),
                    "SHARE UPDATE EXCLUSIVE on the referencing table",
                    Execution.OUTSIDE_TRANSACTION));
        }
        return sql;
    }

    /** Views re-created so they read the table that now carries the name. */
    List<ScriptStatement> views() {
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.Named view : source.views()) {
            sql.add(ScriptStatement.of(
                    "CREATE OR REPLACE VIEW " + view.name() + " AS " + view.definition(),
                    LockMode.ACCESS_EXCLUSIVE,
                    view.name(),
                    "ACCESS EXCLUSIVE on the view " + view.name()));
        }
        return sql;
    }

    /** User triggers move to the table that carries the name; on the other one they are disabled. */
    List<ScriptStatement> triggers(boolean toNew) {
        TableName original = source.name();
        TableName other = toNew ? retiredTable : newTable;
        List<ScriptStatement> sql = new ArrayList<>();
        for (SourceTable.Named trigger : source.triggers()) {
            if (toNew) {
                sql.add(shareRow(
                        "ALTER TABLE " + other.quoted() + " DISABLE TRIGGER " + Sql.quote(trigger.name()), other));
                sql.add(shareRow(trigger.definition(), original));
            } else {
                sql.add(exclusive(
                        "DROP TRIGGER IF EXISTS " + Sql.quote(trigger.name()) + " ON " + other.quoted(), other));
                sql.add(shareRow(
                        "ALTER TABLE " + original.quoted() + " ENABLE TRIGGER " + Sql.quote(trigger.name()), original));
            }
        }
        return sql;
    }

    static ScriptStatement shareRow(String sql, TableName table) {
        return ScriptStatement.of(sql, LockMode.SHARE_ROW_EXCLUSIVE, table.quoted(), "SHARE ROW EXCLUSIVE on " + table);
    }
}
