package dev.autopartition.internal.catalog;

import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.internal.spec.Grid;
import dev.autopartition.internal.spec.PartitionNamer;
import dev.autopartition.internal.sql.KeyType;

/**
 * A table under management: its rule, the key's type, and the origin its grid is aligned to.
 *
 * @param id the row id in the engine's catalog
 * @param tableOid the table's OID when the rule was last saved
 */
public record ManagedTable(long id, long tableOid, AutoPartitionSpec spec, KeyType keyType, long origin) {

    public Grid grid() {
        return new Grid(keyType, spec.increment(), origin, spec.timeZone());
    }

    public PartitionNamer namer() {
        return new PartitionNamer(spec.namingPattern(), spec.table().name(), keyType, spec.increment());
    }
}
