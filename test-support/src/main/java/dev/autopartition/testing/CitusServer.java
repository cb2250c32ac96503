package dev.autopartition.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A Citus cluster of three PostgreSQL 15 instances on localhost (a coordinator and two workers), started from the
 * system's PostgreSQL 15 binaries with the Citus extension installed into them ({@code ../shared/citus/install.sh}),
 * one per JVM and stopped by a shutdown hook. Tests reach the coordinator; {@link #workerDataSource} reaches a worker.
 *
 * <p>Each test database is created on every node with {@code CREATE EXTENSION citus}, and the workers are added to the
 * coordinator's metadata in that database (Citus keeps its node list per database). Distributed tables get
 * {@value #SHARD_COUNT} shards, enough to place shards on both workers and few enough to keep DDL quick.
 *
 * <p>When the JVM runs as root the instances run as the {@code postgres} OS user ({@code initdb} refuses root).
 */
public final class CitusServer extends PostgresServer {
    /** System property naming the PostgreSQL 15 bin directory; default {@value #DEFAULT_BIN}. */
    public static final String BIN_PROPERTY = "autopartition.test.citus.bin";

    static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
    static final int SHARD_COUNT = 4;
    private static final int WORKERS = 2;
    private static final String USER = "postgres";

    private static @Nullable CitusServer shared;
    private static @Nullable String unavailable;

    private final Path root;
    private final int coordinatorPort;
    private final List<Integer> workerPorts;

    private CitusServer(Path root, int coordinatorPort, List<Integer> workerPorts) {
        this.root = root;
        this.coordinatorPort = coordinatorPort;
        this.workerPorts = List.copyOf(workerPorts);
    }

    /**
     * Why a Citus cluster cannot run on this machine (no PostgreSQL 15, no Citus files), or null when it can. Tests
     * turn a non-null answer into a skipped test with this reason.
     */
    public static synchronized @Nullable String unavailableReason() {
        if (shared != null) {
            return null;
        }
        if (unavailable != null) {
            return unavailable;
        }
        Path bin = binDirectory();
        if (!Files.isExecutable(bin.resolve("postgres")) || !Files.isExecutable(bin.resolve("initdb"))) {
            return "no PostgreSQL 15 binaries in " + bin + " (apt-get install -y postgresql-15, or set -D"
                    + BIN_PROPERTY + ")";
        }
        Path lib = bin.resolveSibling("lib").resolve("citus.so");
        if (!Files.exists(lib)) {
            return "Citus is not installed into PostgreSQL 15 (no " + lib + "): run ../shared/citus/install.sh";
        }
        return null;
    }

    /** The cluster for this JVM, started on first use; fails when {@link #unavailableReason()} is not null. */
    public static synchronized CitusServer shared() {
        if (shared == null) {
            String reason = unavailableReason();
            if (reason != null) {
                throw new IllegalStateException("Cannot start a Citus cluster: " + reason);
            }
            try {
                shared = start();
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("could not load library")) {
                    // the files are there but do not fit this server (a different PostgreSQL 15 minor): a machine
                    // problem, reported as the reason the Citus tests skip
                    unavailable = "the Citus build does not load into this PostgreSQL 15 (rebuild it for this"
                            + " minor version, see ../shared/citus/README.md): " + e.getMessage();
                }
                throw e;
            }
        }
        return shared;
    }

    private static Path binDirectory() {
        String bin = setting("AUTOPARTITION_TEST_CITUS_BIN", BIN_PROPERTY);
        return Path.of(bin == null ? DEFAULT_BIN : bin);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static CitusServer start() {
        try {
            Path root = Files.createTempDirectory("autopartition-citus");
            if (asRoot()) {
                run(List.of("chown", USER, root.toString()), false);
            }
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i <= WORKERS; i++) {
                ports.add(freePort());
            }
            CitusServer server = new CitusServer(root, ports.get(0), ports.subList(1, ports.size()));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "citus-cluster-stop"));
            for (int port : ports) {
                server.startNode(port);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Citus cluster's directories: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void startNode(int port) {
        Path data = root.resolve("node" + port);
        Path bin = binDirectory();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", USER), true);
        String conf = String.join(
                "\n",
                "port = " + port,
                "listen_addresses = 'localhost'",
                "unix_socket_directories = '" + root + "'",
                "shared_preload_libraries = 'citus'",
                "max_connections = 300",
                "max_locks_per_transaction = 1024",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "timezone = 'UTC'",
                "citus.shard_count = " + SHARD_COUNT,
                "");
        run(List.of("sh", "-c", "cat >> '" + data.resolve("postgresql.conf") + "'"), true, conf);
        Path log = root.resolve("node" + port + ".log");
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-l",
                            log.toString(),
                            "-w",
                            "-t",
                            "60",
                            "start"),
                    true);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "; server log: " + tail(log), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private void stop() {
        Path bin = binDirectory();
        for (int port : allPorts()) {
            Path data = root.resolve("node" + port);
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(
                            List.of(
                                    bin.resolve("pg_ctl").toString(),
                                    "-D",
                                    data.toString(),
                                    "-m",
                                    "immediate",
                                    "-w",
                                    "stop"),
                            true);
                } catch (RuntimeException e) {
                    // The JVM is exiting: report and go on stopping the other nodes.
                    System.err.println("Cannot stop the Citus node on port " + port + ": " + e.getMessage());
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Cannot delete " + root + ": " + e.getMessage());
        }
    }

    private List<Integer> allPorts() {
        List<Integer> ports = new ArrayList<>();
        ports.add(coordinatorPort);
        ports.addAll(workerPorts);
        return ports;
    }

    private static void run(List<String> command, boolean asPostgres) {
        run(command, asPostgres, null);
    }

    private static void run(List<String> command, boolean asPostgres, @Nullable String input) {
        List<String> full = new ArrayList<>();
        if (asPostgres && asRoot()) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", full) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", full) + " was interrupted", e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        return url(coordinatorPort, database);
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return "";
    }

    /** How many workers the cluster has. */
    public int workerCount() {
        return workerPorts.size();
    }

    /** The port of a worker, as {@code citus_shards.nodeport} shows it. */
    public int workerPort(int worker) {
        return workerPorts.get(worker);
    }

    /** A data source for the named database on one worker (0-based). */
    public DataSource workerDataSource(int worker, String database) {
        return dataSource(url(workerPorts.get(worker), database), USER, "");
    }

    @Override
    public TestDatabase createDatabase(String prefix) {
        TestDatabase database = super.createDatabase(prefix);
        String name = database.name();
        try {
            for (int port : workerPorts) {
                execute(url(port, maintenanceDatabase()), "CREATE DATABASE \"" + name + "\"");
                execute(url(port, name), "CREATE EXTENSION citus");
            }
            List<String> setup = new ArrayList<>();
            setup.add("CREATE EXTENSION citus");
            setup.add("SELECT pg_catalog.citus_set_coordinator_host('localhost', " + coordinatorPort + ")");
            for (int port : workerPorts) {
                setup.add("SELECT pg_catalog.citus_add_node('localhost', " + port + ")");
            }
            execute(jdbcUrl(name), setup.toArray(String[]::new));
        } catch (RuntimeException e) {
            dropDatabase(name);
            throw e;
        }
        return database;
    }

    @Override
    void dropDatabase(String name) {
        super.dropDatabase(name);
        for (int port : workerPorts) {
            execute(url(port, maintenanceDatabase()), "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    private static void execute(String url, String... sql) {
        try (Connection connection = dataSource(url, USER, "").getConnection();
                Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql) + " failed on " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "Citus cluster: coordinator on port %d, workers on %s (data in %s)",
                coordinatorPort,
                workerPorts,
                root);
    }
}
