package dev.autopartition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** What one maintenance run did, table by table. It is also recorded in the engine's catalog. */
public record MaintenanceReport(Instant startedAt, Duration duration, List<TableReport> tables) {
    public MaintenanceReport {
        tables = List.copyOf(tables);
    }

    public int created() {
        return tables.stream().mapToInt(t -> t.created().size()).sum();
    }

    public int removed() {
        return tables.stream()
                .mapToInt(t ->
                        t.detached().size() + t.dropped().size() + t.moved().size())
                .sum();
    }

    public boolean hasErrors() {
        return tables.stream().anyMatch(t -> !t.errors().isEmpty());
    }

    public List<TableReport> skipped() {
        return tables.stream().filter(t -> t.skipped() != null).toList();
    }

    @Override
    public String toString() {
        return "maintenance of " + tables.size() + " tables in " + duration.toMillis() + " ms: " + created()
                + " created, " + removed() + " removed" + (hasErrors() ? ", with errors" : "")
                + tables.stream()
                        .filter(t -> t.changedSomething()
                                || t.skipped() != null
                                || !t.errors().isEmpty())
                        .map(t -> "\n  " + t)
                        .collect(Collectors.joining());
    }
}
