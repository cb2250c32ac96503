package dev.autopartition.internal.migrate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement a migration runs outside its per-partition and replay batches, by stage, planned once by {@link
 * MigrationPlanner} and stored by the prepare, so a resumed run executes exactly what was planned.
 */
record MigrationScript(Map<Stage, List<ScriptStatement>> stages) {
    MigrationScript {
        Map<Stage, List<ScriptStatement>> copy = new EnumMap<>(Stage.class);
        stages.forEach((stage, statements) -> copy.put(stage, List.copyOf(statements)));
        stages = java.util.Collections.unmodifiableMap(copy);
    }

    List<ScriptStatement> statements(Stage stage) {
        return stages.getOrDefault(stage, List.of());
    }
}
