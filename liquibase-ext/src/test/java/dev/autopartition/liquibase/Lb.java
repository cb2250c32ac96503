package dev.autopartition.liquibase;

import dev.autopartition.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import liquibase.Scope;
import liquibase.command.CommandScope;
import org.jspecify.annotations.Nullable;

/** Runs Liquibase commands through the command API, as the CLI and the Maven plugin do. */
final class Lb {
    private final TestDatabase database;
    private @Nullable String now;

    Lb(TestDatabase database) {
        this.database = database;
    }

    /** Fixes the engine's clock through the liquibase.autopartition.now configuration. */
    Lb now(@Nullable String instant) {
        this.now = instant;
        return this;
    }

    void update(String changelog) {
        run("update", changelog, Map.of());
    }

    /** Runs only the change sets with this label. */
    void update(String changelog, String label) {
        run("update", changelog, Map.of("labelFilter", label));
    }

    String updateSql(String changelog) {
        return run("updateSql", changelog, Map.of());
    }

    void rollbackCount(String changelog, int count) {
        run("rollbackCount", changelog, Map.of("count", count));
    }

    String rollbackCountSql(String changelog, int count) {
        return run("rollbackCountSql", changelog, Map.of("count", count));
    }

    void validate(String changelog) {
        run("validate", changelog, Map.of());
    }

    String run(String command, String changelog, Map<String, Object> arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> scope = new HashMap<>();
        if (now != null) {
            scope.put(AutoPartitionConfiguration.NOW.getKey(), now);
        }
        try {
            Scope.child(scope, () -> {
                CommandScope commandScope = new CommandScope(command)
                        .addArgumentValue("url", database.jdbcUrl())
                        .addArgumentValue("username", database.user())
                        .addArgumentValue("password", database.password())
                        .addArgumentValue("changelogFile", changelog);
                arguments.forEach(commandScope::addArgumentValue);
                commandScope.setOutput(out);
                commandScope.execute();
            });
        } catch (Exception e) {
            throw new LbException(command + " " + changelog + " failed: " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A failed command; the message carries Liquibase's. */
    static final class LbException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LbException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
