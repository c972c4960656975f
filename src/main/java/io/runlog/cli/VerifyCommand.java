package io.runlog.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog verify FILE}: exit 0 if an archive is complete and undamaged, else 1 with the reason. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Verifies an archive without importing it.",
        "",
        "Checks the file header, every block's CRC32C and content, every item",
        "payload's SHA-256, the footer and the trailer.",
        "Exit status 0 and 'FILE: ok ...' on standard output if all hold; otherwise 1",
        "and 'runlog: error: ...' naming the byte offset and block (a truncated file",
        "is reported as truncated).",
        ""
    })
public final class VerifyCommand extends CliCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The archive.")
    Path file;

    @Override
    public Integer call() {
        final ArchiveCheck c = ArchiveCheck.of(file);
        if (c.failure != null) {
            throw c.failure;
        }
        out().printf(Locale.ROOT, "%s: ok (%s/%s, %d blocks, %d points, %d bytes)%n", file, c.header.project(),
            c.header.key(), c.summary.blocks() + 1, c.summary.totals().points(), c.size);
        out().flush();
        return 0;
    }
}
