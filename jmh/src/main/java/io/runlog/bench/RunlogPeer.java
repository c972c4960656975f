package io.runlog.bench;

import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.MetricInfo;
import io.runlog.MetricSeries;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import io.runlog.StoreOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * Runlog with its default options: one {@code MetricHandle.log(step, ts, value)} per point, so each
 * point is acknowledged when the call returns. {@code producerDrains} turns the background drainer
 * off ({@code StoreOptions.backgroundDrain(false)}): the logging thread drains its own full ring.
 */
final class RunlogPeer implements PeerStore {
    private final boolean producerDrains;

    RunlogPeer(final boolean producerDrains) {
        this.producerDrains = producerDrains;
    }

    @Override
    public String id() {
        return producerDrains ? "runlog-producer" : "runlog";
    }

    @Override
    public String label() {
        return producerDrains ? "Runlog (producer drains)" : "Runlog (default drainer)";
    }

    @Override
    public String acknowledgement(final int durableEvery) {
        return durableEvery > 0
            ? "every point survives kill -9 when log returns; sync() every " + durableEvery + " points: OS crash too"
            : "every point: survives kill -9 when log returns (mapped ring); not an OS crash (no fsync)";
    }

    private StoreOptions options() {
        return new StoreOptions().backgroundDrain(!producerDrains);
    }

    @Override
    public void ingest(final Path dir, final PeerWorkload w, final int durableEvery) {
        try (RunlogStore store = RunlogStore.open(dir, options());
             Experiment e = store.createProject("bench", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment("e")) {
            final MetricHandle[] handles = new MetricHandle[w.metricNames.length];
            for (int m = 0; m < handles.length; m++) {
                handles[m] = e.metric(w.metricNames[m]);
            }
            final int[] metric = w.metric;
            final long[] step = w.step;
            final long[] ts = w.timestamp;
            final long[] bits = w.bits;
            final int n = w.size();
            if (durableEvery <= 0) {
                for (int i = 0; i < n; i++) {
                    handles[metric[i]].log(step[i], ts[i], Double.longBitsToDouble(bits[i]));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    handles[metric[i]].log(step[i], ts[i], Double.longBitsToDouble(bits[i]));
                    if ((i + 1) % durableEvery == 0 || i == n - 1) {
                        e.sync();
                    }
                }
            }
        }
    }

    @Override
    public Reader open(final Path dir, final PeerWorkload w) {
        final RunlogStore store = RunlogStore.open(dir, options());
        final Experiment e;
        try {
            e = store.project("bench").openExperiment("e");
        } catch (final RuntimeException ex) {
            store.close();
            throw ex;
        }
        return new Reader() {
            @Override
            public PeerWorkload.Columns read(final int m) {
                final MetricSeries s = e.readMetric(w.metricNames[m]);
                return new PeerWorkload.Columns(s.steps(), s.timestamps(), s.valueBitsArray(), s.size());
            }

            @Override
            public long probe(final int m) {
                final List<MetricInfo> infos = e.metrics();
                for (final MetricInfo info : infos) {
                    if (info.name().equals(w.metricNames[m]) && info.count() > 0) {
                        return info.count();
                    }
                }
                throw new IllegalStateException("metric " + w.metricNames[m] + " not found after reopen");
            }

            @Override
            public void close() {
                try {
                    e.close();
                } finally {
                    store.close();
                }
            }
        };
    }
}
