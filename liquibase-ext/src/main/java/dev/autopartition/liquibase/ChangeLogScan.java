package dev.autopartition.liquibase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import liquibase.Scope;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.ChangeFactory;
import liquibase.change.ChangeParameterMetaData;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import org.jspecify.annotations.Nullable;

/**
 * Looks at the rest of the changelog: which earlier changes will run in the same update (and may create or change the
 * table a change works on, so checks against the database must wait until the change runs), and which earlier change
 * declared a table's rule (the inverse of a later declaration).
 */
final class ChangeLogScan {
    private static final Set<String> TABLE_PARAMETERS =
            Set.of("tableName", "newTableName", "oldTableName", "baseTableName", "referencedTableName");

    private ChangeLogScan() {}

    /** An earlier change and its change set. */
    record Earlier(ChangeSet changeSet, Change change) {}

    /**
     * The changes that come before {@code self} in the changelog (including earlier changes of its own change set) and
     * have not run yet, or run again (runAlways, runOnChange).
     */
    static List<Earlier> earlierPending(Change self, Database database) {
        List<Earlier> pending = new ArrayList<>();
        ChangeSet own = self.getChangeSet();
        if (own == null || !isForwardChange(own, self)) {
            return pending; // a rollback change runs after everything before it
        }
        List<RanChangeSet> ran;
        try {
            ran = database.getRanChangeSetList();
        } catch (DatabaseException | RuntimeException e) {
            ran = List.of(); // unknown: treat every earlier change set as pending, which only defers checks
        }
        List<ChangeSetFilter> filters = filters(own, database);
        for (ChangeSet changeSet : changeSetsBefore(own)) {
            boolean ranAlready = ran.stream().anyMatch(r -> r.isSameAs(changeSet));
            boolean filteredOut =
                    filters.stream().anyMatch(f -> !f.accepts(changeSet).isAccepted());
            if (!filteredOut && (!ranAlready || changeSet.isAlwaysRun() || changeSet.isRunOnChange())) {
                changeSet.getChanges().forEach(c -> pending.add(new Earlier(changeSet, c)));
            }
        }
        for (Change change : own.getChanges()) {
            if (change == self) {
                break;
            }
            pending.add(new Earlier(own, change));
        }
        return pending;
    }

    /** The filters of this run (contexts, labels, dbms, ignore): change sets they reject do not run. */
    private static List<ChangeSetFilter> filters(ChangeSet own, Database database) {
        List<ChangeSetFilter> filters = new ArrayList<>();
        filters.add(new DbmsChangeSetFilter(database));
        filters.add(new IgnoreChangeSetFilter());
        DatabaseChangeLog log = own.getChangeLog();
        ChangeLogParameters parameters =
                log == null ? null : log.getRootChangeLog().getChangeLogParameters();
        if (parameters != null) {
            filters.add(new ContextChangeSetFilter(parameters.getContexts()));
            filters.add(new LabelChangeSetFilter(parameters.getLabels()));
        }
        return filters;
    }

    @SuppressWarnings("ReferenceEquality") // the same change object, not an equal one
    private static boolean isForwardChange(ChangeSet own, Change self) {
        return own.getChanges().stream().anyMatch(c -> c == self);
    }

    /** Every change before {@code self} in the changelog, in order, whether it ran or not. */
    static List<Change> earlier(Change self) {
        List<Change> changes = new ArrayList<>();
        ChangeSet own = self.getChangeSet();
        if (own == null) {
            return changes;
        }
        changeSetsBefore(own).forEach(cs -> changes.addAll(cs.getChanges()));
        for (Change change : own.getChanges()) {
            if (change == self) {
                break;
            }
            changes.add(change);
        }
        return changes;
    }

    private static List<ChangeSet> changeSetsBefore(ChangeSet own) {
        DatabaseChangeLog log = own.getChangeLog();
        if (log == null) {
            return List.of();
        }
        for (DatabaseChangeLog candidate : List.of(log.getRootChangeLog(), log)) {
            List<ChangeSet> all = candidate.getChangeSets();
            int index = indexOf(all, own);
            if (index >= 0) {
                return all.subList(0, index);
            }
        }
        return List.of();
    }

    @SuppressWarnings("ReferenceEquality") // the same change set object, not an equal one
    private static int indexOf(List<ChangeSet> changeSets, ChangeSet own) {
        for (int i = 0; i < changeSets.size(); i++) {
            if (changeSets.get(i) == own) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether an earlier change may create, rename, drop or alter a table of this name: a core change naming it, SQL
     * that mentions it, or any change this scan cannot see into (custom changes, other extensions).
     */
    static boolean mayTouch(Change change, String tableName) {
        if (change instanceof AbstractPartitionChange ours) {
            return ours.names(tableName);
        }
        if (change instanceof AbstractSQLChange sql) {
            String text;
            try {
                text = sql.getSql();
            } catch (RuntimeException e) {
                return true;
            }
            return text == null || text.toLowerCase(Locale.ROOT).contains(tableName.toLowerCase(Locale.ROOT));
        }
        if (!change.getClass().getName().startsWith("liquibase.change.core.")) {
            return true;
        }
        Map<String, ChangeParameterMetaData> parameters = Scope.getCurrentScope()
                .getSingleton(ChangeFactory.class)
                .getChangeMetaData(change)
                .getParameters();
        for (String name : TABLE_PARAMETERS) {
            ChangeParameterMetaData parameter = parameters.get(name);
            if (parameter != null) {
                Object value = parameter.getCurrentValue(change);
                if (value != null && value.toString().equalsIgnoreCase(tableName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first pending earlier change that may touch the table, described for a message, or null. */
    static @Nullable String pendingChangeTouching(Change self, Database database, String tableName) {
        for (Earlier earlier : earlierPending(self, database)) {
            if (mayTouch(earlier.change(), tableName)) {
                return describe(earlier);
            }
        }
        return null;
    }

    static String describe(Earlier earlier) {
        return Scope.getCurrentScope()
                        .getSingleton(ChangeFactory.class)
                        .getChangeMetaData(earlier.change())
                        .getName()
                + " in change set " + earlier.changeSet().toString(false);
    }
}
