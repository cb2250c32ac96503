package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.SpecField;
import dev.autopartition.TableName;
import dev.autopartition.TableStatus;

/** Checks a {@code --table} against the managed tables, so a typo is an error rather than "nothing to do". */
final class ManagedTables {
    private ManagedTables() {}

    static void require(AutoPartition ap, TableName table) {
        boolean managed = ap.status().stream().map(TableStatus::table).anyMatch(table::equals);
        if (!managed) {
            throw new InvalidSpecException(
                    SpecField.TABLE,
                    table + " is not managed by autopartition: catalog schema " + ap.catalogSchema()
                            + " has no rule for it. Fix: check the name (schema.table; unquoted names fold to lower case),"
                            + " or declare its rule first (Liquibase autoPartition, Flyway, or the Java API).");
        }
    }
}
