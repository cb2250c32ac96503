package dev.autopartition.internal.migrate;

import dev.autopartition.MigrationSpec;
import dev.autopartition.internal.pace.Pacer;
import dev.autopartition.internal.pace.Pacers;
import dev.autopartition.internal.pace.ProbeConnections;
import dev.autopartition.internal.run.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The pacers the engine's migrations use: by the spec's budgets, probing on a connection of the engine's own. */
final class Pacing {
    private Pacing() {}

    /**
     * A pacer per run by the spec's budgets ({@link MigrationSpec#pacing()} off: the knobs alone). With one shared
     * connection (Liquibase, Flyway, a given {@code Connection}) there is none to probe on: the pacer times the batches.
     */
    static Function<MigrationSpec, Pacer> byBudget(ConnectionSource connections) {
        @Nullable
        ProbeConnections probes = connections.shared()
                ? null
                : new ProbeConnections() {
                    @Override
                    public Connection open() throws SQLException {
                        return connections.open();
                    }

                    @Override
                    public void release(Connection connection) throws SQLException {
                        connections.release(connection);
                    }
                };
        return spec -> Pacers.forMigration(spec, probes, spec.table());
    }
}
