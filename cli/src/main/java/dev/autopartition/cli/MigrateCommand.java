package dev.autopartition.cli;

import picocli.CommandLine.Command;

/** {@code migrate}: online migration of a live plain table into a partitioned one. */
@Command(
        name = "migrate",
        header = "Migrate a live plain table into a partitioned one, online: plan, start, resume, status, cutover,"
                + " undo, finalize, abort.",
        description = {
            "Migrate a plain table with live traffic into a partitioned table of the same name, online:",
            "  plan      print every step with the lock it takes (changes nothing)",
            "  start     start (or continue) the migration, with a progress display on stderr",
            "  resume    continue a migration that was interrupted (give the same options as start)",
            "  status    show a migration's progress",
            "  cutover   swap the verified new table in (after start --no-cutover)",
            "  undo      swap the original back in, without losing what was written since the cutover",
            "  finalize  drop the original table; the migration can no longer be undone",
            "  abort     stop a migration before its cutover; the original table is left as it was"
        },
        subcommands = {
            MigratePlanCommand.class,
            MigrateStartCommand.class,
            MigrateResumeCommand.class,
            MigrateStatusCommand.class // then cutover, undo, finalize and abort: see MigrationStepCommand
        })
final class MigrateCommand extends GroupCommand {}
