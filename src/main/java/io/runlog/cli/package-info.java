/**
 * The {@code runlog} command line: one class per sub-command ({@link io.runlog.cli.IngestCommand},
 * {@link io.runlog.cli.MetricsCommand}, {@link io.runlog.cli.SeriesCommand},
 * {@link io.runlog.cli.StatsCommand}, {@link io.runlog.cli.DemoCommand}), wired together by
 * {@link io.runlog.cli.RunlogCommand}.
 *
 * <p>Conventions: machine-readable results go to standard output as CSV with a header row,
 * doubles written by {@link io.runlog.cli.DoubleText} so that they parse back to the same bits;
 * an error is one line {@code runlog: error: ...} on standard error and exit status 1; a usage
 * error prints the usage on standard error and exits with status 2.
 */
package io.runlog.cli;
