package dev.autopartition.internal.migrate;

import dev.autopartition.TableName;
import dev.autopartition.internal.sql.KeyType;
import dev.autopartition.internal.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the zero-copy strategy: the original table becomes the partition {@code <table>_legacy} for every key
 * below a cut point, proven by a CHECK validated online, so the cutover is metadata only. Unique keys that must gain
 * the partition key are built beside the originals with {@code CREATE UNIQUE INDEX CONCURRENTLY} (ATTACH adopts them),
 * and copies of the original keys are built too, so an undo can restore them without a scan under lock.
 */
final class AttachStrategy {
    static final String LEGACY_CHECK = "autopartition_legacy";
    private static final String WIDE_SUFFIX = "_apwide";
    private static final String UNDO_SUFFIX = "_apundo";
    private static final String LEGACY_SUFFIX = "_legacy";

    private final SourceTable source;
    private final TableName newTable;
    private final TableName legacy;
    private final long cut;

    AttachStrategy(SourceTable source, String newName, long cut) {
        this.source = source;
        this.newTable = TableName.of(source.name().schema(), newName);
        this.legacy = TableName.of(source.name().schema(), legacyName(source.name()));
        this.cut = cut;
    }

    static String legacyName(TableName table) {
        return Sql.truncateToBytes(table.name(), Sql.MAX_IDENTIFIER_BYTES - LEGACY_SUFFIX.length()) + LEGACY_SUFFIX;
    }

    private static String suffixed(String name, String suffix) {
        return Sql.truncateToBytes(name, Sql.MAX_IDENTIFIER_BYTES - suffix.length()) + suffix;
    }

    private List<SourceTable.Unique> widened() {
        return source.uniques().stream()
                .filter(u -> !u.columns().contains(source.keyColumn()))
                .toList();
    }

    private static String columns(List<String> columns) {
        return columns.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }

    /** The CHECK that proves every row lies below the cut: added NOT VALID (brief lock), validated online. */
    List<String> addCheck() {
        String key = Sql.quote(source.keyColumn());
        return List.of("ALTER TABLE " + source.name().quoted() + " ADD CONSTRAINT " + Sql.quote(LEGACY_CHECK)
                + " CHECK (" + key + " IS NOT NULL AND " + key + " < "
                + source.keyType().literal(cut) + ") NOT VALID");
    }

    String validateCheck() {
        return "ALTER TABLE " + source.name().quoted() + " VALIDATE CONSTRAINT " + Sql.quote(LEGACY_CHECK);
    }

    /** Index name and statement of each index to build concurrently on the original. */
    List<String[]> concurrentIndexes() {
        List<String[]> result = new ArrayList<>();
        for (SourceTable.Unique unique : widened()) {
            List<String> wide = new ArrayList<>(unique.columns());
            wide.add(source.keyColumn());
            String wideName = suffixed(unique.name(), WIDE_SUFFIX);
            String undoName = suffixed(unique.name(), UNDO_SUFFIX);
            result.add(new String[] {
                wideName,
                "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.quote(wideName) + " ON "
                        + source.name().quoted() + " (" + columns(wide) + ")"
            });
            result.add(new String[] {
                undoName,
                "CREATE UNIQUE INDEX CONCURRENTLY " + Sql.quote(undoName) + " ON "
                        + source.name().quoted() + " (" + columns(unique.columns()) + ")"
            });
        }
        return result;
    }

    /** The cutover, after the original is locked: the original becomes the legacy partition of the new table. */
    List<String> cutover(MigrationSql sql, java.util.Map<String, String> keyColumns) {
        TableName original = source.name();
        List<String> statements = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add("ALTER TABLE " + fk.referencing().quoted() + " DROP CONSTRAINT " + Sql.quote(fk.name()));
        }
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add("DROP TRIGGER " + Sql.quote(trigger.name()) + " ON " + original.quoted());
        }
        for (SourceTable.Unique unique : widened()) {
            // ATTACH adopts a partition's index for the parent's key only when a constraint already uses it;
            // otherwise it builds a new index, scanning the whole table under the cutover's lock
            String wide = Sql.quote(suffixed(unique.name(), WIDE_SUFFIX));
            statements.add("ALTER TABLE " + original.quoted() + " DROP CONSTRAINT " + Sql.quote(unique.name()));
            statements.add("ALTER TABLE " + original.quoted() + " ADD CONSTRAINT " + wide
                    + (unique.primary() ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + wide);
        }
        for (SourceTable.Unique unique : source.uniques()) {
            if (unique.columns().contains(source.keyColumn())) {
                statements.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT " + Sql.quote(unique.name())
                        + " TO " + Sql.quote(suffixed(unique.name(), LEGACY_SUFFIX)));
            }
        }
        for (SourceTable.Named index : source.indexes()) {
            statements.add("ALTER INDEX "
                    + TableName.of(original.schema(), index.name()).quoted() + " RENAME TO "
                    + Sql.quote(suffixed(index.name(), LEGACY_SUFFIX)));
        }
        statements.add("ALTER TABLE " + original.quoted() + " RENAME TO " + Sql.quote(legacy.name()));
        statements.add("ALTER TABLE " + newTable.quoted() + " RENAME TO " + Sql.quote(original.name()));
        statements.add("ALTER TABLE " + original.quoted() + " ATTACH PARTITION " + legacy.quoted()
                + " FOR VALUES FROM (MINVALUE) TO (" + source.keyType().literal(cut) + ")");
        statements.add("ALTER TABLE " + legacy.quoted() + " DROP CONSTRAINT " + Sql.quote(LEGACY_CHECK));
        for (SourceTable.Unique unique : source.uniques()) {
            statements.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                    + Sql.quote(MigrationSql.temp(unique.name())) + " TO " + Sql.quote(unique.name()));
        }
        for (SourceTable.Named index : source.indexes()) {
            statements.add("ALTER INDEX "
                    + TableName.of(original.schema(), MigrationSql.temp(index.name()))
                            .quoted() + " RENAME TO " + Sql.quote(index.name()));
        }
        for (SourceTable.Named sequence : source.sequences()) {
            statements.add("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + original.quoted() + "."
                    + Sql.quote(sequence.definition()));
        }
        statements.addAll(addForeignKeys(original, true, keyColumns));
        statements.addAll(sql.views());
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(trigger.definition());
        }
        return statements;
    }

    private List<String> addForeignKeys(TableName target, boolean widen, java.util.Map<String, String> keyColumns) {
        List<String> statements = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            List<String> referencing = new ArrayList<>(fk.referencingColumns());
            List<String> referenced = new ArrayList<>(fk.referencedColumns());
            String carrier = keyColumns.get(fk.name());
            if (widen && carrier != null && !referenced.contains(source.keyColumn())) {
                referencing.add(carrier);
                referenced.add(source.keyColumn());
            }
            statements.add("ALTER TABLE " + fk.referencing().quoted() + " ADD CONSTRAINT " + Sql.quote(fk.name())
                    + " FOREIGN KEY (" + columns(referencing) + ") REFERENCES " + target.quoted() + " ("
                    + columns(referenced) + ")" + (fk.options().isEmpty() ? "" : " " + fk.options()) + " NOT VALID");
        }
        return statements;
    }

    /**
     * The undo, after the partitioned table is locked: the legacy partition is detached and takes the name back, rows
     * written since the cutover at or above the cut move into it, its original keys come back from the prepared
     * copies, and the new table is dropped.
     */
    List<String> undo(MigrationSql sql) {
        TableName original = source.name();
        KeyType type = source.keyType();
        String key = Sql.quote(source.keyColumn());
        List<String> statements = new ArrayList<>();
        for (SourceTable.InboundForeignKey fk : source.inboundForeignKeys()) {
            statements.add("ALTER TABLE " + fk.referencing().quoted() + " DROP CONSTRAINT " + Sql.quote(fk.name()));
        }
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add("DROP TRIGGER " + Sql.quote(trigger.name()) + " ON " + original.quoted());
        }
        statements.add("ALTER TABLE " + original.quoted() + " DETACH PARTITION " + legacy.quoted());
        String cols = source.insertableColumns().stream().map(Sql::quote).collect(Collectors.joining(", "));
        statements.add("INSERT INTO " + legacy.quoted() + " (" + cols + ")"
                + (source.identityColumns().isEmpty() ? "" : " OVERRIDING SYSTEM VALUE") + " SELECT " + cols
                + " FROM " + original.quoted() + " WHERE " + key + " >= " + type.literal(cut));
        for (SourceTable.Named sequence : source.sequences()) { // before the drop, which would take them along
            statements.add("ALTER SEQUENCE " + sequence.name() + " OWNED BY " + legacy.quoted() + "."
                    + Sql.quote(sequence.definition()));
        }
        statements.add("DROP TABLE " + original.quoted() + " CASCADE");
        // The wide indexes were adopted as the partition's own constraints (PostgreSQL names them after the
        // partition); once detached they go, and the copies of the original keys take over.
        List<String> keep = source.uniques().stream()
                .filter(u -> u.columns().contains(source.keyColumn()))
                .map(u -> Sql.literal(suffixed(u.name(), LEGACY_SUFFIX)))
                .toList();
        statements.add(
                "DO $autopartition$ DECLARE c record; BEGIN FOR c IN SELECT conname FROM pg_catalog.pg_constraint"
                        + " WHERE conrelid = " + Sql.literal(legacy.quoted()) + "::regclass AND contype IN ('p', 'u')"
                        + " AND (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = conrelid AND attname = "
                        + Sql.literal(source.keyColumn()) + ") = ANY (conkey)"
                        + (keep.isEmpty() ? "" : " AND conname NOT IN (" + String.join(", ", keep) + ")")
                        + " LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', " + Sql.literal(legacy.quoted())
                        + ", c.conname); END LOOP; END $autopartition$");
        for (SourceTable.Unique unique : widened()) {
            statements.add("ALTER TABLE " + legacy.quoted() + " ADD CONSTRAINT " + Sql.quote(unique.name())
                    + (unique.primary() ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
                    + Sql.quote(suffixed(unique.name(), UNDO_SUFFIX)));
        }
        statements.add("ALTER TABLE " + legacy.quoted() + " RENAME TO " + Sql.quote(original.name()));
        for (SourceTable.Unique unique : source.uniques()) {
            if (unique.columns().contains(source.keyColumn())) {
                statements.add("ALTER TABLE " + original.quoted() + " RENAME CONSTRAINT "
                        + Sql.quote(suffixed(unique.name(), LEGACY_SUFFIX)) + " TO " + Sql.quote(unique.name()));
            }
        }
        for (SourceTable.Named index : source.indexes()) {
            statements.add("ALTER INDEX "
                    + TableName.of(original.schema(), suffixed(index.name(), LEGACY_SUFFIX))
                            .quoted() + " RENAME TO " + Sql.quote(index.name()));
        }
        statements.addAll(addForeignKeys(original, false, java.util.Map.of()));
        statements.addAll(sql.views());
        for (SourceTable.Named trigger : source.triggers()) {
            statements.add(trigger.definition());
        }
        return statements;
    }

    /** Before the cutover: the CHECK and the prepared indexes go, the new table goes. */
    List<String> abort() {
        List<String> statements = new ArrayList<>();
        statements.add(
                "ALTER TABLE " + source.name().quoted() + " DROP CONSTRAINT IF EXISTS " + Sql.quote(LEGACY_CHECK));
        for (String[] index : concurrentIndexes()) {
            statements.add("DROP INDEX IF EXISTS "
                    + TableName.of(source.name().schema(), index[0]).quoted());
        }
        statements.add("DROP TABLE IF EXISTS " + newTable.quoted() + " CASCADE");
        return statements;
    }

    /** After the cutover, for good: the copies kept for an undo are dropped. */
    List<String> finish() {
        List<String> statements = new ArrayList<>();
        for (SourceTable.Unique unique : widened()) {
            statements.add("DROP INDEX IF EXISTS "
                    + TableName.of(source.name().schema(), suffixed(unique.name(), UNDO_SUFFIX))
                            .quoted());
        }
        return statements;
    }
}
