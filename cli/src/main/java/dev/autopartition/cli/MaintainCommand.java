package dev.autopartition.cli;

import dev.autopartition.AutoPartition;
import dev.autopartition.Durations;
import dev.autopartition.MaintenanceReport;
import dev.autopartition.MaintenanceScheduler;
import dev.autopartition.Operation;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code maintain}: runs maintenance once, or on a schedule until interrupted. */
@Command(
        name = "maintain",
        sortOptions = false,
        description = {
            "Run maintenance now: create the partitions that should lie ahead, apply retention, move stray rows out"
                    + " of default partitions. Prints what changed.",
            "With --every it runs on a schedule until interrupted (Ctrl-C or SIGTERM, which lets a running"
                    + " maintenance finish). Safe to run in many places at once: busy tables are skipped."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.HELP_OK,
            "1:failed, or maintenance reported errors on a table (the others were maintained)",
            ExitCodes.HELP_USAGE,
            ExitCodes.HELP_LOCK_TIMEOUT
        })
final class MaintainCommand extends OperationCommand<MaintenanceReport> {
    @Mixin
    @SuppressWarnings("NullAway.Init")
    private TableOptions.Only only;

    @Option(
            names = "--every",
            paramLabel = "<duration>",
            description = "Run every <duration> (10m, 1h30m; a bare number is milliseconds) until interrupted,"
                    + " instead of once.")
    private @Nullable Duration every;

    @Option(
            names = "--jitter",
            paramLabel = "<duration>",
            defaultValue = "0s",
            description = "With --every: add a random delay of up to <duration> to each run, so that many"
                    + " maintainers do not start together. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init")
    private Duration jitter;

    @Override
    public Integer call() throws Exception {
        Duration interval = every;
        if (interval == null) {
            return super.call();
        }
        if (only.table != null) {
            throw new ParameterException(
                    spec.commandLine(), "--table cannot be combined with --every: a schedule maintains every table.");
        }
        return schedule(interval);
    }

    @Override
    Operation<MaintenanceReport> operation() {
        return new Operation.Maintain(only.table);
    }

    @Override
    int applied(MaintenanceReport report) {
        print(Reports.maintenance(report), ExitCodes.OK);
        if (report.hasErrors()) {
            PrintWriter err = err();
            err.println("error: maintenance failed on "
                    + report.tables().stream()
                            .filter(t -> !t.errors().isEmpty())
                            .count()
                    + " table(s); see the report above. The other tables were maintained.");
            err.flush();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private int schedule(Duration interval) throws InterruptedException {
        AutoPartition ap = connection.autoPartition();
        ap.status(); // fails fast on a bad connection, instead of logging the failure every interval
        PrintWriter out = out();
        PrintWriter err = err();
        CountDownLatch stopped = new CountDownLatch(1);
        MaintenanceScheduler scheduler = ap.scheduler(interval, jitter).onReport(report -> {
            synchronized (out) {
                out.print(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + Reports.maintenance(report));
                out.flush();
            }
        });
        Thread hook = new Thread(
                () -> {
                    scheduler.close();
                    err.println("autopartition: maintenance schedule stopped");
                    err.flush();
                    stopped.countDown();
                },
                "autopartition-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("autopartition: maintaining every " + Durations.format(interval)
                + (jitter.isZero() ? "" : " (plus up to " + Durations.format(jitter) + ")")
                + " until interrupted");
        err.flush();
        scheduler.start();
        stopped.await();
        return ExitCodes.OK;
    }
}
