package io.runlog.cli;

import io.runlog.ExportResult;
import io.runlog.RunlogStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog export --experiment E -o FILE}: writes an experiment to an archive file. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
        "Exports an experiment to one archive file.",
        "",
        "The archive (docs/format/archive.md) holds metrics, parameters with history,",
        "output, items with payloads, prompts and the throttle flag.",
        "Works while the experiment is logged to (a consistent prefix) and after a",
        "crash (opening the store recovers first). The file is written under a",
        "temporary name, synced and renamed: FILE is complete or untouched.",
        ""
    })
public final class ExportCommand extends ExperimentCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The archive to write (replaced if it exists).")
    Path output;

    @Override
    public Integer call() {
        refuseOutputInsideStore(output);
        final ExportResult r;
        try (RunlogStore runlog = openForReading()) {
            r = runlog.exportExperiment(project.name, experiment, output);
        }
        err().printf(Locale.ROOT, "exported %s/%s to %s: %,d points, %,d other entries, %,d bytes (%.3f bytes/point)%n",
            project.name, experiment, output, r.points(), r.entries(), r.bytes(),
            r.points() == 0 ? 0.0 : (double) r.bytes() / r.points());
        return 0;
    }
}
