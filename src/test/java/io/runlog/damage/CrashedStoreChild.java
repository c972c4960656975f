package io.runlog.damage;

import io.runlog.Experiment;
import io.runlog.ItemType;
import io.runlog.MetricHandle;
import io.runlog.OutputChannel;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Child JVM of {@link DamageFixtures#buildCrashed}: never exits on its own, it is SIGKILLed.
 *
 * <p>Writes {@code vision/closed-before} and closes it; then opens {@code vision/killed} with a
 * ring of 8,192 points and no background drain (so that the ring holds up to a ring's worth of
 * points the journal does not, and the journal holds batches the logging thread drained when the
 * ring filled), logs parameters, output and an item, and logs metrics of every value coding. After
 * {@value #READY_POINTS} points it prints {@value #READY} and goes on logging until it is killed.
 *
 * <p>Argument: the store directory.
 */
public final class CrashedStoreChild {
    static final String READY = "crashed-store-child ready";
    static final int READY_POINTS = 20_000;

    private CrashedStoreChild() {
    }

    public static void main(final String[] args) {
        final Path storeDir = Path.of(args[0]);
        final StoreOptions options = DamageFixtures.options().ringCapacity(8_192).backgroundDrain(false);
        final RunlogStore store = RunlogStore.open(storeDir, options);
        try (Experiment before = store.projectOrCreate(DamageFixtures.VISION, ProjectKind.EXPERIMENT_MANAGEMENT)
            .createExperiment("closed-before")) {
            DamageFixtures.fillMetrics(before, 700, 21);
            before.logParameter("seed", 21L);
            before.logOutput(OutputChannel.STDOUT, "closed before the crash");
        }
        final Experiment e = store.project(DamageFixtures.VISION).createExperiment("killed");
        e.logParameter("lr", 0.01);
        e.logParameter("arch", "vit-b16");
        e.logOutput(OutputChannel.STDOUT, "training starts");
        e.logItem(ItemType.IMAGE, "first-batch", Map.of("n", "8"), "pixels".getBytes(StandardCharsets.UTF_8));
        final MetricHandle loss = e.metric("loss");
        final MetricHandle noise = e.metric("noise");
        final MetricHandle loss32 = e.metric("loss32");
        final SplittableRandom r = new SplittableRandom(5);
        for (long step = 0; ; step++) {
            final double l = 3.0 / (1 + step / 1_000.0);
            loss.log(step, Math.rint(l * 1e4) / 1e4);
            noise.log(step, l + r.nextGaussian());
            loss32.log(step, (float) l);
            if (step % 2_000 == 0) {
                e.logOutput(OutputChannel.STDERR, "step " + step);
            }
            if (step * 3 == READY_POINTS - (READY_POINTS % 3)) {
                System.out.println(READY);
                System.out.flush();
            }
        }
    }
}
