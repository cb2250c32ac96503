package dev.autopartition.internal.exec;

import dev.autopartition.AutoPartitionException;
import dev.autopartition.DatabaseMaintenanceStatus;
import dev.autopartition.Execution;
import dev.autopartition.InvalidSpecException;
import dev.autopartition.LockMode;
import dev.autopartition.Plan;
import dev.autopartition.PlannedStatement;
import dev.autopartition.PlannedStep;
import dev.autopartition.SpecField;
import dev.autopartition.StatementFailedException;
import dev.autopartition.TableName;
import dev.autopartition.internal.catalog.EngineCatalog;
import dev.autopartition.internal.sql.Sql;
import dev.autopartition.internal.sql.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * In-database maintenance: the procedure {@code <catalog>.run_maintenance()} (from {@code procedure.sql}, with this
 * instance's lock timeout, retries and batch size as its defaults) and its pg_cron job.
 */
final class DatabaseMaintenance {
    private static final String JOB_NAME = "autopartition-maintenance";
    private static final String LOCK = "none on any table: creates procedures in the catalog schema";

    private final Settings settings;

    DatabaseMaintenance(Settings settings) {
        this.settings = settings;
    }

    private EngineCatalog catalog() {
        return settings.catalog();
    }

    /** The procedure's quoted, qualified name. */
    String procedure() {
        return catalog().table("run_maintenance");
    }

    /** One job per catalog: the default catalog's job has the plain name. */
    String jobName() {
        return catalog().schema().equals("autopartition")
                ? JOB_NAME
                : JOB_NAME + " " + catalog().schema();
    }

    String command() {
        return "CALL " + procedure() + "()";
    }

    private List<String> installStatements() {
        return catalog()
                .script(
                        "procedure.sql",
                        Map.of(
                                "lock_timeout_ms",
                                        Long.toString(settings.lockTimeout().toMillis()),
                                "attempts", Integer.toString(settings.attempts()),
                                "backoff_ms", Long.toString(settings.backoff().toMillis()),
                                "max_backoff_ms",
                                        Long.toString(settings.maxBackoff().toMillis()),
                                "batch_size", Integer.toString(settings.batchSize())));
    }

    private PlannedStep installStep() {
        List<PlannedStatement> statements = new ArrayList<>();
        installStatements()
                .forEach(sql -> statements.add(
                        new PlannedStatement(sql, LockMode.NONE, catalog().schema(), LOCK, Execution.IN_TRANSACTION)));
        return new PlannedStep(
                TableName.of(catalog().schema(), "run_maintenance"),
                "install the in-database maintenance procedure " + procedure(),
                statements);
    }

    Plan planInstall() {
        return new Plan(
                List.of(installStep()), List.of("call it on its own (not inside BEGIN ... COMMIT): " + command()));
    }

    void install(Connection connection) {
        run(connection, "install the in-database maintenance procedure " + procedure(), () -> {
            execute(connection, installStatements());
            return Boolean.TRUE;
        });
    }

    Plan planSchedule(Connection connection, String cron) {
        checkCron(cron);
        checkPgCron(connection);
        String sql = "SELECT cron.schedule(" + Sql.literal(jobName()) + ", " + Sql.literal(cron) + ", "
                + Sql.literal(command()) + ")";
        PlannedStep schedule = new PlannedStep(
                TableName.of("cron", "job"),
                "schedule " + command() + " with pg_cron at '" + cron + "' as job " + Sql.literal(jobName()),
                List.of(new PlannedStatement(
                        sql,
                        LockMode.ROW_EXCLUSIVE,
                        "cron.job",
                        "ROW EXCLUSIVE on cron.job",
                        Execution.IN_TRANSACTION)));
        return new Plan(List.of(installStep(), schedule), List.of());
    }

    /** Installs the procedure and schedules it (a job of the same name is updated); returns the job id. */
    long schedule(Connection connection, String cron) {
        checkCron(cron);
        checkPgCron(connection);
        return run(connection, "schedule " + command() + " with pg_cron", () -> {
            execute(connection, installStatements());
            try (PreparedStatement ps = connection.prepareStatement("SELECT cron.schedule(?, ?, ?)")) {
                ps.setString(1, jobName());
                ps.setString(2, cron);
                ps.setString(3, command());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("invalid schedule")) {
                    throw new InvalidSpecException(
                            SpecField.CRON_SCHEDULE,
                            "The pg_cron schedule '" + cron + "' is not valid: "
                                    + e.getMessage() + ". Fix: write five cron fields such as '*/10 * * * *', an"
                                    + " interval such as '30 seconds', or '@daily'.");
                }
                throw e;
            }
        });
    }

    Plan planUninstall(Connection connection) {
        List<PlannedStep> steps = new ArrayList<>();
        DatabaseMaintenanceStatus status = status(connection);
        if (status.cronJobId() != null) {
            steps.add(new PlannedStep(
                    TableName.of("cron", "job"),
                    "remove pg_cron job " + Sql.literal(jobName()),
                    List.of(new PlannedStatement(
                            "SELECT cron.unschedule(" + status.cronJobId() + ")",
                            LockMode.ROW_EXCLUSIVE,
                            "cron.job",
                            "ROW EXCLUSIVE on cron.job",
                            Execution.IN_TRANSACTION))));
        }
        if (status.installed()) {
            List<PlannedStatement> drops = new ArrayList<>();
            uninstallStatements()
                    .forEach(sql -> drops.add(new PlannedStatement(
                            sql, LockMode.NONE, catalog().schema(), LOCK, Execution.IN_TRANSACTION)));
            steps.add(new PlannedStep(
                    TableName.of(catalog().schema(), "run_maintenance"),
                    "remove the in-database maintenance procedure " + procedure(),
                    drops));
        }
        return new Plan(steps, steps.isEmpty() ? List.of("in-database maintenance is not installed") : List.of());
    }

    private List<String> uninstallStatements() {
        return List.of(
                "DROP PROCEDURE IF EXISTS " + procedure(),
                "DROP PROCEDURE IF EXISTS " + catalog().table("_run_unit"),
                "DROP FUNCTION IF EXISTS " + catalog().table("_render"));
    }

    /** Removes the pg_cron job and the procedure; returns whether there was anything to remove. */
    boolean uninstall(Connection connection) {
        DatabaseMaintenanceStatus status = status(connection);
        run(connection, "remove the in-database maintenance procedure " + procedure(), () -> {
            if (status.cronJobId() != null) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT cron.unschedule(?)")) {
                    ps.setLong(1, status.cronJobId());
                    ps.executeQuery().close();
                }
            }
            execute(connection, uninstallStatements());
            return Boolean.TRUE;
        });
        return status.installed() || status.cronJobId() != null;
    }

    DatabaseMaintenanceStatus status(Connection connection) {
        String sql = """
                SELECT to_regprocedure(? || '(regclass,timestamp with time zone,integer,integer,integer,integer,integer)')
                       IS NOT NULL,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, procedure());
            boolean installed;
            boolean cron;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                installed = rs.getBoolean(1);
                cron = rs.getBoolean(2);
            }
            if (!cron) {
                return new DatabaseMaintenanceStatus(installed, procedure(), null, null, null);
            }
            try (PreparedStatement job = connection.prepareStatement(
                    "SELECT jobid, schedule, active FROM cron.job WHERE jobname = ? ORDER BY jobid LIMIT 1")) {
                job.setString(1, jobName());
                try (ResultSet rs = job.executeQuery()) {
                    if (rs.next()) {
                        return new DatabaseMaintenanceStatus(
                                installed, procedure(), rs.getLong(1), rs.getString(2), rs.getBoolean(3));
                    }
                }
            }
            return new DatabaseMaintenanceStatus(installed, procedure(), null, null, null);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot read the state of in-database maintenance", sql, e);
        }
    }

    private static void checkCron(String cron) {
        if (cron.isBlank() || cron.indexOf('\0') >= 0) {
            throw new InvalidSpecException(
                    SpecField.CRON_SCHEDULE,
                    "The pg_cron schedule '" + cron + "' is empty or holds a NUL character."
                            + " Fix: write five cron fields such as '*/10 * * * *', or '30 seconds'.");
        }
    }

    /** Fails before anything changes, naming the fix, when pg_cron cannot run jobs in this database. */
    private static void checkPgCron(Connection connection) {
        String sql = """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron'),
                       EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron'),
                       current_setting('shared_preload_libraries'),
                       current_setting('cron.database_name', true),
                       current_database(),
                       current_setting('server_version_num')::int / 10000
                """;
        try (var st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
            boolean available = rs.getBoolean(2);
            String preload = rs.getString(3);
            @Nullable String cronDatabase = rs.getString(4);
            String database = rs.getString(5);
            int major = rs.getInt(6);
            String setup = "add pg_cron to shared_preload_libraries in postgresql.conf (keeping what is listed: '"
                    + preload + "'), set cron.database_name = '" + database + "', restart PostgreSQL, then run"
                    + " CREATE EXTENSION pg_cron in database " + Sql.quote(database) + ".";
            String message;
            if (!available) {
                message = "pg_cron is not installed on this server. Fix: install it (Debian and Ubuntu:"
                        + " apt-get install postgresql-" + major + "-cron), " + setup;
            } else if (!preload.contains("pg_cron")) {
                message = "pg_cron is installed but not loaded (shared_preload_libraries is '" + preload + "'). Fix: "
                        + setup;
            } else if (cronDatabase != null && !cronDatabase.equals(database)) {
                message = "pg_cron runs its jobs from database " + Sql.quote(cronDatabase) + " (cron.database_name),"
                        + " not " + Sql.quote(database) + ". Fix: set cron.database_name = '" + database + "' and"
                        + " restart PostgreSQL, then CREATE EXTENSION pg_cron in " + Sql.quote(database) + ".";
            } else {
                message = "pg_cron is loaded but its extension does not exist in database " + Sql.quote(database)
                        + ". Fix: CREATE EXTENSION pg_cron in " + Sql.quote(database) + ".";
            }
            throw new AutoPartitionException("Cannot schedule in-database maintenance: " + message);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot check for pg_cron", sql, e);
        }
    }

    private static void execute(Connection connection, List<String> statements) throws SQLException {
        try (var st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static <T> T run(Connection connection, String what, Transactions.Work<T> work) {
        try {
            return Transactions.run(connection, work);
        } catch (SQLException e) {
            throw new StatementFailedException("Cannot " + what, "(see the server's message)", e);
        }
    }
}
