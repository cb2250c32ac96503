package dev.autopartition.flyway;

import dev.autopartition.AutoPartition;
import dev.autopartition.AutoPartitionException;
import dev.autopartition.MaintenanceReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.CallbackEvent;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs autopartition maintenance after every {@code flyway migrate} ({@link Event#AFTER_MIGRATE}): creates the
 * partitions that should exist by now and applies retention, for every managed table.
 *
 * <p>Register it by class name ({@code flyway.callbacks=dev.autopartition.flyway.AutoPartitionCallback}, or {@code
 * <callbacks>} of the Maven plugin) or as an instance ({@code Flyway.configure().callbacks(new
 * AutoPartitionCallback())}). It reads {@link FlywaySettings} at each event: switch it off with {@code
 * flyway.placeholders.autopartition.enabled=false}, {@code -Dautopartition.flyway.enabled=false} or {@code
 * AUTOPARTITION_FLYWAY_ENABLED=false}.
 *
 * <p>Maintenance runs outside a transaction ({@link #canHandleInTransaction} is false): each step commits on its own
 * and partitions are detached concurrently where PostgreSQL allows it. A table another maintainer is working on is
 * skipped. Reading the catalog waits at most ten lock timeouts for a table another session holds ACCESS EXCLUSIVE on.
 * Errors are logged with the full report and, unless {@code failOnError} is false, fail the migrate command after the
 * migrations themselves have been applied.
 *
 * <p>Works on Flyway 10 to 13: besides the {@code Event} methods it declares the erased {@code CallbackEvent} methods
 * that Flyway 11.13 and later call. On Flyway before 11.13 those methods name a type that does not exist, so
 * reflecting over this class's declared methods there (which dependency-injection containers do to beans) fails with
 * {@link NoClassDefFoundError}; register it through Flyway's configuration instead of as a container bean there.
 */
public class AutoPartitionCallback implements Callback {
    private final @Nullable FlywaySettings settings;

    /** A callback that reads its settings from system properties, the environment and Flyway's placeholders. */
    public AutoPartitionCallback() {
        this.settings = null;
    }

    /** A callback with fixed settings; system properties, the environment and placeholders are not read. */
    public AutoPartitionCallback(FlywaySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    private FlywaySettings settings(Context context) {
        FlywaySettings fixed = settings;
        return fixed != null ? fixed : FlywaySettings.from(context.getConfiguration());
    }

    /**
     * After migrate, when enabled. Flyway 10 also asks with a null context (while it sorts out its callbacks); the
     * settings cannot be read then, so the answer only depends on the event, and {@link #handle} checks again.
     */
    @Override
    public boolean supports(Event event, @Nullable Context context) {
        if (event != Event.AFTER_MIGRATE) {
            return false;
        }
        FlywaySettings fixed = settings;
        if (fixed != null) {
            return fixed.enabled();
        }
        return context == null || settings(context).enabled();
    }

    @Override
    public boolean canHandleInTransaction(Event event, @Nullable Context context) {
        return false;
    }

    @Override
    public void handle(Event event, Context context) {
        if (event != Event.AFTER_MIGRATE) {
            return;
        }
        FlywaySettings current = settings(context);
        if (!current.enabled()) {
            return;
        }
        Log log = LogFactory.getLog(AutoPartitionCallback.class);
        Connection connection = context.getConnection();
        AutoPartition engine = current.engine(connection, null);
        MaintenanceReport report;
        try {
            report = withReadTimeout(connection, current, () -> {
                if (autoCommit(connection)) {
                    FlywayLockGuard.check(connection, engine::plan, "autopartition maintenance after migrate");
                }
                return engine.maintain();
            });
        } catch (AutoPartitionException e) {
            fail(log, current, String.valueOf(e.getMessage()), e);
            return;
        }
        if (report.hasErrors()) {
            fail(log, current, report.toString(), null);
        } else {
            log.info("autopartition: " + report);
        }
    }

    private static void fail(Log log, FlywaySettings settings, String what, @Nullable Exception cause) {
        String message =
                "autopartition maintenance after migrate failed (the migrations themselves were applied): " + what;
        if (!settings.failOnError()) {
            log.warn(message + "\n(failOnError is false: migrate carries on)");
            return;
        }
        throw new FlywayException(
                message + "\nFix: resolve the errors above and run migrate again, or set"
                        + " flyway.placeholders.autopartition.failOnError=false to only log them.",
                cause);
    }

    /**
     * Runs maintenance with a session lock_timeout of ten lock timeouts. The engine bounds its own DDL with
     * lock_timeout, but its catalog reads have none: they would wait for as long as another session holds ACCESS
     * EXCLUSIVE on a managed table, and migrate would hang. This bounds them; the previous value is restored.
     */
    private static <T> T withReadTimeout(Connection connection, FlywaySettings settings, Supplier<T> work) {
        String previous;
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW lock_timeout")) {
                rs.next();
                previous = rs.getString(1);
            }
            st.execute("SET lock_timeout = '" + settings.lockTimeout().toMillis() * 10 + "ms'");
        } catch (SQLException e) {
            throw new FlywayException("Cannot set lock_timeout for autopartition maintenance: " + e.getMessage(), e);
        }
        try {
            return work.get();
        } finally {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT pg_catalog.set_config('lock_timeout', ?, false)")) {
                ps.setString(1, previous);
                ps.execute();
            } catch (SQLException e) {
                LogFactory.getLog(AutoPartitionCallback.class)
                        .warn("Cannot restore lock_timeout to " + previous + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String getCallbackName() {
        return "autopartition";
    }

    // Flyway 11.13+ (Callback extends GenericCallback<Event>) calls these erased forms.

    /** {@link #supports(Event, Context)} as Flyway 11.13 and later call it. */
    public boolean supports(CallbackEvent<?> event, @Nullable Context context) {
        Object e = event;
        return e instanceof Event flywayEvent && supports(flywayEvent, context);
    }

    /** {@link #canHandleInTransaction(Event, Context)} as Flyway 11.13 and later call it. */
    public boolean canHandleInTransaction(CallbackEvent<?> event, @Nullable Context context) {
        Object e = event;
        return e instanceof Event flywayEvent && canHandleInTransaction(flywayEvent, context);
    }

    /** {@link #handle(Event, Context)} as Flyway 11.13 and later call it. */
    public void handle(CallbackEvent<?> event, Context context) {
        Object e = event;
        if (e instanceof Event flywayEvent) {
            handle(flywayEvent, context);
        }
    }

    static boolean autoCommit(Connection connection) {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            throw new FlywayException("Cannot read the connection's auto-commit mode: " + e.getMessage(), e);
        }
    }
}
