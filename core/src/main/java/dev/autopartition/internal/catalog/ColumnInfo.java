package dev.autopartition.internal.catalog;

/** One column of a table, as the catalog describes it. */
public record ColumnInfo(
        String name, int number, String typname, String formattedType, boolean notNull, boolean generated) {}
