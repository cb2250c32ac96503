package dev.autopartition.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A hot standby of the embedded server, replicating from it by physical streaming replication: a base backup taken
 * with the low-level backup API ({@code pg_backup_start}/{@code pg_backup_stop}, or {@code pg_start_backup} before
 * PostgreSQL 15) and a copy of the data directory, then {@code standby.signal}, {@code primary_conninfo} and a
 * replication slot, so the primary keeps the WAL the standby still needs. It runs on the same zonky binaries as the
 * primary (which, like the primary, start as root) on a port of its own.
 *
 * <pre>{@code
 * try (Standby standby = Standby.startOrSkip(PostgresServer.shared())) {
 *     standby.pauseReplay();
 *     ...
 * }
 * }</pre>
 */
public final class Standby implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration STREAMING_WAIT = Duration.ofSeconds(60);

    /** Left out of the copy: the server's run-time state, and the WAL, which the standby streams instead. */
    private static final Set<String> SKIPPED = Set.of(
            "postmaster.pid",
            "postmaster.opts",
            "epg-lock",
            "backup_label",
            "tablespace_map",
            "standby.signal",
            "recovery.signal");

    private static final Set<String> EMPTIED = Set.of(
            "pg_wal",
            "pg_replslot",
            "pg_stat_tmp",
            "pg_dynshmem",
            "pg_notify",
            "pg_serial",
            "pg_snapshots",
            "pg_subtrans");

    private final PostgresServer primary;
    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String name;

    private Standby(PostgresServer primary, EmbeddedPostgres postgres, Path dataDirectory, String name) {
        this.primary = primary;
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.name = name;
    }

    /**
     * Builds a standby of {@code primary} and waits until it streams, or aborts the calling test (it is then reported
     * as skipped, with the reason) where no standby can be built here.
     */
    public static Standby startOrSkip(PostgresServer primary) {
        try {
            return start(primary);
        } catch (IllegalStateException e) {
            Assumptions.abort("No standby can be built here: " + e.getMessage());
            throw e; // not reached: abort throws
        }
    }

    /**
     * Builds a standby of {@code primary} and waits until it streams.
     *
     * @throws IllegalStateException naming why no standby can be built (the server is not the embedded one, its data
     *     directory is not readable here, replication is not allowed, ...)
     */
    public static Standby start(PostgresServer primary) {
        if (!(primary instanceof EmbeddedServer)) {
            throw new IllegalStateException("a standby is built only from the embedded server, and this run uses "
                    + primary + " (see TESTING.md)");
        }
        String name = "autopartition_standby_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        Path copy = null;
        try (Connection c = primary.dataSource(primary.maintenanceDatabase()).getConnection()) {
            Path source = Path.of(setting(c, "data_directory"));
            requireReplication(c, source);
            copy = Files.createTempDirectory("autopartition-standby");
            execute(c, "SELECT pg_create_physical_replication_slot('" + name + "', true)");
            baseBackup(c, source, copy, primary.majorVersion());
            Files.writeString(
                    copy.resolve("postgresql.auto.conf"),
                    "\nprimary_conninfo = 'host=localhost port=" + setting(c, "port") + " user=" + primary.user()
                            + " application_name=" + name + "'\nprimary_slot_name = '" + name + "'\n",
                    StandardOpenOption.APPEND);
            Files.createFile(copy.resolve("standby.signal"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(copy)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("max_locks_per_transaction", "1024")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("hot_standby", "on")
                    // report the replay position every second even when no new WAL arrives
                    .setServerConfig("wal_receiver_status_interval", "1")
                    .start();
            Standby standby = new Standby(primary, postgres, copy, name);
            standby.awaitStreaming();
            return standby;
        } catch (SQLException | IOException e) {
            dropSlot(primary, name);
            delete(copy);
            throw new IllegalStateException("building a standby failed: " + e.getMessage(), e);
        }
    }

    private static void requireReplication(Connection c, Path source) throws SQLException {
        if (!Files.isReadable(source.resolve("PG_VERSION"))) {
            throw new IllegalStateException("the primary's data directory " + source + " is not readable here");
        }
        String walLevel = setting(c, "wal_level");
        if (walLevel.equals("minimal") || setting(c, "max_wal_senders").equals("0")) {
            throw new IllegalStateException("the primary does not allow streaming replication (wal_level " + walLevel
                    + ", max_wal_senders " + setting(c, "max_wal_senders") + ")");
        }
    }

    private static void baseBackup(Connection c, Path source, Path copy, int major) throws SQLException, IOException {
        boolean fifteen = major >= 15;
        execute(
                c,
                fifteen
                        ? "SELECT pg_backup_start('autopartition standby', true)"
                        : "SELECT pg_start_backup('autopartition standby', true, false)");
        try {
            copyDirectory(source, copy);
        } finally {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            fifteen
                                    ? "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)"
                                    : "SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)")) {
                rs.next();
                Files.writeString(copy.resolve("backup_label"), rs.getString(1));
                String map = rs.getString(2);
                if (map != null && !map.isEmpty()) {
                    Files.writeString(copy.resolve("tablespace_map"), map);
                }
            }
        }
    }

    private static void copyDirectory(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                boolean emptied = !dir.equals(source)
                        && EMPTIED.contains(source.relativize(dir).toString());
                if (emptied && dir.getFileName().toString().equals("pg_wal")) {
                    Files.createDirectories(
                            target.resolve(source.relativize(dir).toString()).resolve("archive_status"));
                }
                return emptied ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (source.relativize(file).getNameCount() == 1
                        && SKIPPED.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(
                            file,
                            target.resolve(source.relativize(file).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException e) {
                    // dropped while copying: the WAL replay removes it on the standby too
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private void awaitStreaming() {
        long deadline = System.nanoTime() + STREAMING_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c =
                            primary.dataSource(primary.maintenanceDatabase()).getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE application_name = '"
                            + name + "' AND state = 'streaming'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
                Thread.sleep(100);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot watch the standby connect: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the standby " + name + " did not stream from the primary within "
                + STREAMING_WAIT.toSeconds() + " s; check that pg_hba.conf allows replication connections from"
                + " localhost");
    }

    /** The standby's {@code application_name} in the primary's {@code pg_stat_replication}. */
    public String name() {
        return name;
    }

    /** A data source for a database on the standby (read-only, as every hot standby). */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.getJdbcUrl(primary.user(), database));
        dataSource.setUser(primary.user());
        dataSource.setPassword(primary.password());
        return dataSource;
    }

    /** Stops replaying WAL (it still receives it), so the standby falls behind. */
    public void pauseReplay() {
        onStandby("SELECT pg_wal_replay_pause()");
    }

    /** Replays again after {@link #pauseReplay()}. */
    public void resumeReplay() {
        onStandby("SELECT pg_wal_replay_resume()");
    }

    private void onStandby(String sql) {
        try (Connection c = dataSource("postgres").getConnection()) {
            execute(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on the standby failed: " + e.getMessage(), e);
        }
    }

    /** Stops the standby, drops its replication slot on the primary and deletes its data directory. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            // the directory goes anyway
        }
        dropSlot(primary, name);
        delete(dataDirectory);
    }

    @Override
    public String toString() {
        return "standby " + name + " on port " + postgres.getPort();
    }

    private static void dropSlot(PostgresServer primary, String name) {
        // the walsender may take a moment to leave the slot after the standby stopped
        for (int attempt = 0; attempt < 50; attempt++) {
            try (Connection c =
                    primary.dataSource(primary.maintenanceDatabase()).getConnection()) {
                execute(
                        c,
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                                + name + "'");
                return;
            } catch (SQLException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void delete(@Nullable Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
