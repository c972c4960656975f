package io.runlog.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runlog.Experiment;
import io.runlog.MetricHandle;
import io.runlog.ProjectKind;
import io.runlog.RunlogStore;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON baselines' server side for {@link SyncThroughput}, mounted in the same Jetty server as
 * the {@link io.runlog.server.SyncHandler}: {@code POST /json/mlflow/{experiment}} takes an
 * MLflow-style {@code log_batch} body ({@code {"metrics":[{"key","value","timestamp","step"}...]}})
 * and {@code POST /json/wandb/{experiment}} a W&amp;B-style {@code file_stream} body
 * ({@code {"files":{"wandb-history.jsonl":{"offset":N,"content":["{\"_step\":..,\"_timestamp\":..,"loss":..}",...]}}}}).
 * Both parse with Jackson's streaming parser and log every point through a {@link MetricHandle}
 * of a server-side experiment (project {@code json}), as the sync import does. With
 * {@code durable}, each request is synced ({@link Experiment#sync()}) before its 200, as the
 * sync upload's 200 means durable (MLflow commits a database transaction per {@code log_batch}).
 * Anything else goes to {@code next}. Counts request body bytes per route (Content-Length).
 */
final class JsonIngestHandler extends Handler.Wrapper {
    private static final JsonFactory JSON = new JsonFactory();
    private final RunlogStore store;
    private final boolean durable;
    private final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
    final AtomicLong syncBodyBytes = new AtomicLong();
    final AtomicLong syncRequests = new AtomicLong();

    JsonIngestHandler(final RunlogStore store, final boolean durable, final Handler next) {
        super(next);
        this.store = store;
        this.durable = durable;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
        final String path = request.getHttpURI().getPath();
        final boolean mlflow = path.startsWith("/json/mlflow/");
        final boolean wandb = path.startsWith("/json/wandb/");
        if (!mlflow && !wandb) {
            if ("POST".equals(request.getMethod())) {
                syncBodyBytes.addAndGet(Math.max(0, request.getLength()));
                syncRequests.incrementAndGet();
            }
            return super.handle(request, response, callback);
        }
        final String key = path.substring(path.lastIndexOf('/') + 1);
        final Experiment e = experiments.computeIfAbsent(key, k ->
            store.projectOrCreate("json", ProjectKind.EXPERIMENT_MANAGEMENT).createExperiment(k));
        try {
            final long n;
            synchronized (e) { // one request at a time per experiment, as the sync upload
                try (InputStream in = Content.Source.asInputStream(request)) {
                    n = mlflow ? logBatch(in, e) : fileStream(in, e);
                }
                if (durable) {
                    e.sync();
                }
            }
            response.setStatus(200);
            response.write(true, java.nio.ByteBuffer.wrap(("{\"points\":" + n + "}").getBytes(StandardCharsets.US_ASCII)),
                callback);
        } catch (final IOException | RuntimeException ex) {
            Response.writeError(request, response, callback, 400, ex.toString());
        }
        return true;
    }

    /** The points a server experiment holds (after its ring drained). */
    long points(final String key) {
        final Experiment e = experiments.get(key);
        return e == null ? 0 : e.pointCount();
    }

    /** Closes the experiments it opened. */
    void closeExperiments() {
        experiments.values().forEach(Experiment::close);
        experiments.clear();
    }

    private static long logBatch(final InputStream in, final Experiment e) throws IOException {
        final Map<String, MetricHandle> handles = new HashMap<>();
        long n = 0;
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String field = p.currentName();
                final JsonToken t = p.nextToken();
                if (!"metrics".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(t, JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String name = null;
                    double value = Double.NaN;
                    long ts = 0;
                    long step = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        final String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "key" -> name = p.getText();
                            case "value" -> value = p.getDoubleValue();
                            case "timestamp" -> ts = p.getLongValue();
                            case "step" -> step = p.getLongValue();
                            default -> p.skipChildren();
                        }
                    }
                    if (name == null) {
                        throw new IOException("a metric without a key");
                    }
                    handles.computeIfAbsent(name, e::metric).log(step, ts, value);
                    n++;
                }
            }
        }
        return n;
    }

    private static long fileStream(final InputStream in, final Experiment e) throws IOException {
        final Map<String, MetricHandle> handles = new HashMap<>();
        long n = 0;
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (!"files".equals(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                expect(p.nextToken(), JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    final boolean history = "wandb-history.jsonl".equals(p.currentName());
                    expect(p.nextToken(), JsonToken.START_OBJECT);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        final String f = p.currentName();
                        final JsonToken t = p.nextToken();
                        if (!history || !"content".equals(f)) {
                            p.skipChildren();
                            continue;
                        }
                        expect(t, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            n += row(p.getText(), e, handles);
                        }
                    }
                }
            }
        }
        return n;
    }

    /** One history row: {@code {"_step":s,"_timestamp":seconds,"name":value,...}}. */
    private static long row(final String line, final Experiment e, final Map<String, MetricHandle> handles)
        throws IOException {
        long step = 0;
        long ts = 0;
        int k = 0;
        final String[] names = new String[16];
        final double[] values = new double[16];
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "_step" -> step = p.getLongValue();
                    case "_timestamp" -> ts = Math.round(p.getDoubleValue() * 1000.0);
                    default -> {
                        if (k == names.length) {
                            throw new IOException("more than " + names.length + " metrics in a row");
                        }
                        names[k] = f;
                        values[k++] = p.getDoubleValue();
                    }
                }
            }
        }
        for (int i = 0; i < k; i++) {
            handles.computeIfAbsent(names[i], e::metric).log(step, ts, values[i]);
        }
        return k;
    }

    private static void expect(final JsonToken got, final JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("expected " + want + ", got " + got);
        }
    }
}
