package dev.autopartition.liquibase;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionSpec;
import dev.autopartition.Operation;
import dev.autopartition.TableReport;
import java.util.function.Supplier;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeMetaData;
import liquibase.change.ChangeParameterMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import org.jspecify.annotations.Nullable;

/**
 * Declares the auto-partition rule of a table, or alters it when the table already has one, then runs maintenance on
 * the table so its partitions exist at once. An empty plain table (from {@code createTable}) becomes a partitioned
 * table; a table created {@code PARTITION BY RANGE} keeps its partitions, which the rule adopts.
 *
 * <p>Rollback: the rule the table had before, when an earlier {@code autoPartition} of the changelog declared one,
 * else the rule is removed (the partitions stay, and the table stays partitioned).
 */
@DatabaseChange(
        name = "autoPartition",
        description = "Declares or alters the auto-partition rule of a table: range partitions on one column, created"
                + " ahead of time and removed after a retention period by maintenance",
        priority = ChangeMetaData.PRIORITY_DEFAULT,
        appliesTo = "table",
        since = "0.1")
public class AutoPartitionChange extends RuleChange {
    private @Nullable String tierAfter;
    private @Nullable String tierTablespace;
    private @Nullable String autocreateExpression;

    @DatabaseChangeProperty(
            description = "Move partitions whose upper bound is older than this (an interval, or a number for integer"
                    + " keys) to tierTablespace, before retention removes them; default: never",
            exampleValue = "30 days",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTierAfter() {
        return tierAfter;
    }

    public void setTierAfter(@Nullable String tierAfter) {
        this.tierAfter = tierAfter;
    }

    @DatabaseChangeProperty(
            description = "The existing tablespace tierAfter moves old partitions and their indexes to",
            exampleValue = "cold",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getTierTablespace() {
        return tierTablespace;
    }

    public void setTierTablespace(@Nullable String tierTablespace) {
        this.tierTablespace = tierTablespace;
    }

    @DatabaseChangeProperty(
            description = "An SQL expression evaluated (read-only, briefly) at each maintenance run: advance partitions"
                    + " are counted from its value instead of the clock or the largest key; default: none",
            exampleValue = "now() + interval '7 days'",
            requiredForDatabase = "none",
            supportsDatabase = "postgresql")
    public @Nullable String getAutocreateExpression() {
        return autocreateExpression;
    }

    public void setAutocreateExpression(@Nullable String autocreateExpression) {
        this.autocreateExpression = autocreateExpression;
    }

    // ---------------------------------------------------------------- behaviour

    @Override
    void checkStatic(Problems problems, Database database) {
        checkRule(problems, database);
    }

    /** Tiering and the autocreate expression, on top of the shared rule attributes. */
    @Override
    void checkMoreRule(Problems problems, Supplier<AutoPartitionSpec.Builder> base) {
        String after = tierAfter;
        String place = tierTablespace;
        if (after != null || place != null) {
            String keep = getRetention();
            problems.check(
                    after == null ? "tierTablespace" : "tierAfter",
                    after == null ? place : after,
                    () -> base.get()
                            .tierAfter(after)
                            .tierTablespace(place)
                            .retention(keep)
                            .build());
        }
        RuleChecks.option(
                problems,
                base,
                "autocreateExpression",
                autocreateExpression,
                AutoPartitionSpec.Builder::autocreateExpression);
    }

    @Override
    AutoPartitionSpec.Builder moreRule(AutoPartitionSpec.Builder rule) {
        return rule.tierAfter(tierAfter).tierTablespace(tierTablespace).autocreateExpression(autocreateExpression);
    }

    @Override
    Operation.DeclareRule operation(Database database) {
        return new Operation.DeclareRule(rule(database));
    }

    @Override
    String willDo(Database database) {
        return "turn the table into one partitioned BY RANGE (" + getColumnName() + ") if it is a plain empty table,"
                + " save the rule in the autopartition catalog, and create partitions up to "
                + (getMaximumAdvancePartitions() == null
                        ? "5"
                        : getMaximumAdvancePartitions().trim())
                + " ahead of the clock (of the largest key, for an integer key) as it is then";
    }

    @Override
    String execute(AutoPartition engine, Database database) {
        Operation.DeclareRule declare = operation(database);
        TableReport report = engine.apply(declare);
        AutoPartitionSpec spec = declare.spec();
        return "Auto-partition rule of " + spec.table() + " saved (" + spec.column() + " by " + spec.increment() + "); "
                + report;
    }

    // ---------------------------------------------------------------- rollback

    @Override
    protected Change[] createInverses() {
        AutoPartitionChange previous = previousDeclaration(this);
        if (previous != null) {
            return new Change[] {previous.copy()};
        }
        DropAutoPartitionChange drop = new DropAutoPartitionChange();
        drop.setSchemaName(getSchemaName());
        drop.setTableName(getTableName());
        return new Change[] {drop};
    }

    /** The latest earlier declaration of the same table's rule in the changelog, or null. */
    static @Nullable AutoPartitionChange previousDeclaration(TableChange self) {
        AutoPartitionChange found = null;
        for (Change change : ChangeLogScan.earlier(self)) {
            if (change instanceof AutoPartitionChange declaration && self.sameTable(declaration)) {
                found = declaration;
            }
        }
        return found;
    }

    /** A copy of this declaration (every attribute, without a change set), for use as an inverse. */
    AutoPartitionChange copy() {
        AutoPartitionChange copy = new AutoPartitionChange();
        for (ChangeParameterMetaData attribute : Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(this)
                .getParameters()
                .values()) {
            Object value = attribute.getCurrentValue(this);
            if (value != null) {
                attribute.setValue(copy, value);
            }
        }
        return copy;
    }
}
