/**
 * The {@code autopartition} command line: one picocli {@code *Command} per verb, each a thin wrapper over the core
 * API that prints results on stdout, diagnostics on stderr, and returns an exit code from {@link
 * dev.autopartition.cli.ExitCodes}. A command that changes something maps its options to a {@link
 * dev.autopartition.Operation} and leaves planning or applying it to {@link dev.autopartition.cli.OperationCommand}.
 */
@NullMarked
package dev.autopartition.cli;

import org.jspecify.annotations.NullMarked;
