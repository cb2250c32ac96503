package dev.autopartition.internal.pace;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the pacer gets the one connection it measures on, apart from the workers' connections. The integrator adapts
 * the engine's connection source to it; where only one shared connection exists (under Liquibase), pass none and the
 * pacer times the batches instead.
 */
public interface ProbeConnections {
    /** A connection in auto-commit mode that the pacer uses alone until it gives it back. */
    Connection open() throws SQLException;

    /** Gives a connection from {@link #open()} back. */
    void release(Connection connection) throws SQLException;
}
