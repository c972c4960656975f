package io.runlog.isolation;

import io.runlog.Experiment;
import io.runlog.Item;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.MetricSeries;
import io.runlog.OutputChannel;
import io.runlog.OutputLine;
import io.runlog.Project;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Child JVM of {@link NoHomeDirectoryWritesTest}: exercises every kind of write and read through
 * the public API only, the way an embedder's first run would, and exits 0 if everything read back
 * as written (1 otherwise). Argument: the store directory (relative to the working directory).
 */
public final class HomeProbeChild {
    private HomeProbeChild() {
    }

    public static void main(final String[] args) {
        final Path storeDir = Path.of(args[0]);
        final long[] bits = {Double.doubleToRawLongBits(0.5), 0x7FF8_0000_0000_0ABCL, Double.doubleToRawLongBits(-0.0),
            Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), 1L};
        final byte[] payload = "payload bytes".getBytes(StandardCharsets.UTF_8);
        try (RunlogStore store = RunlogStore.open(storeDir)) {
            final Project project = store.createProject("probe", ProjectKind.EXPERIMENT_MANAGEMENT);
            try (Experiment e = project.createExperiment("run")) {
                final MetricHandle loss = e.metric("loss");
                for (int i = 0; i < bits.length; i++) {
                    loss.log(i, 1_000L + i, Double.longBitsToDouble(bits[i]));
                }
                e.log("acc", 0, 0.25);
                e.logParameter("lr", 0.001);
                e.logParameter("optimizer", "adam");
                e.logOutput(OutputChannel.STDOUT, "epoch 1 done");
                e.logItem(ItemType.TEXT_SAMPLE, "sample.txt", Map.of("k", "v"), payload);
                e.sync();
            }
        }
        try (RunlogStore store = RunlogStore.open(storeDir);
             Experiment e = store.project("probe").openExperiment("run")) {
            final MetricSeries loss = e.readMetric("loss");
            final long[] read = Arrays.copyOf(loss.valueBitsArray(), loss.size());
            check(Arrays.equals(bits, read), "loss bits " + Arrays.toString(read));
            check(e.readMetric("acc").value(0) == 0.25, "acc");
            check(e.parameters().get("lr").doubleValue() == 0.001, "lr " + e.parameters());
            check("adam".equals(e.parameters().get("optimizer").text()), "optimizer " + e.parameters());
            final List<OutputLine> out = e.outputLines();
            check(out.size() == 1 && out.get(0).text().equals("epoch 1 done"), "output " + out);
            final List<Item> items = e.items();
            check(items.size() == 1 && Arrays.equals(payload, e.readPayload(items.get(0))), "items " + items);
        }
        System.out.println("home probe: every write read back");
    }

    private static void check(final boolean ok, final String what) {
        if (!ok) {
            System.out.println("home probe: wrong read-back: " + what);
            System.exit(1);
        }
    }
}
