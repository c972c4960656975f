package io.runlog.bench;

import com.google.common.util.concurrent.RateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.runlog.gate.DataType;
import io.runlog.gate.IngestionGate;
import io.runlog.gate.RateLimits;
import io.runlog.limit.RollingWindow;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cost of one rate-limit decision: Runlog's ingestion gate against Bucket4j, Guava's
 * {@code RateLimiter} and Resilience4j's {@code RateLimiter}, all configured for the same limit
 * (12,000 per minute, the brief's metrics limit) and asked for one permit without waiting. After
 * the first 12,000 of each minute every limiter answers "no", so this is mostly the cost of a
 * refusal, the common case for a key that is being throttled. Real clocks for all.
 *
 * <p>Uncontended: one thread. Contended: two threads on the same key (one shared limiter), and
 * two threads on different keys (one limiter each).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {
    static final int PER_MINUTE = 12_000;

    /** One limiter of each kind, shared by every thread: the same key. */
    @State(Scope.Benchmark)
    public static class Shared {
        final Limiters limiters = new Limiters("shared");

        @Setup(Level.Iteration)
        public void tick() {
            limiters.tick();
        }
    }

    /** One limiter of each kind per thread: different keys. */
    @State(Scope.Thread)
    public static class PerThread {
        static final AtomicInteger NEXT = new AtomicInteger();
        final Limiters limiters = new Limiters("key-" + NEXT.getAndIncrement());

        @Setup(Level.Iteration)
        public void tick() {
            limiters.tick();
        }
    }

    static final class Limiters {
        final String key;
        /** A clock the server's event loop would advance; here each iteration's setup does. */
        final CachedEpochClock cachedClock = new CachedEpochClock();
        volatile long cachedNanos = System.nanoTime();
        final IngestionGate gateCached = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, PER_MINUTE)
            .submissionsPerHour(RateLimits.UNLIMITED), cachedClock);
        final Bucket bucketCached = Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(PER_MINUTE).refillGreedy(PER_MINUTE, Duration.ofMinutes(1)).build())
            .withCustomTimePrecision(new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    return cachedNanos;
                }

                @Override
                public boolean isWallClockBased() {
                    return false;
                }
            })
            .build();
        io.runlog.gate.GateHandle handle;
        io.runlog.gate.GateHandle handleCached;
        /** How a server holds library limiters per API key: a map lookup per request, like the gate's. */
        final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, RateLimiter> guavas = new ConcurrentHashMap<>();
        final IngestionGate gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, PER_MINUTE)
            .submissionsPerHour(RateLimits.UNLIMITED), SystemEpochClock.INSTANCE);
        final Bucket bucket = Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(PER_MINUTE).refillGreedy(PER_MINUTE, Duration.ofMinutes(1)).build())
            .build();
        final RollingWindow window = new RollingWindow(PER_MINUTE, 60_000, 6, System.currentTimeMillis());
        final RateLimiter guava = RateLimiter.create(PER_MINUTE / 60.0);
        final io.github.resilience4j.ratelimiter.RateLimiter resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of(
            "bench", RateLimiterConfig.custom().limitForPeriod(PER_MINUTE).limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO).build());

        Limiters(final String key) {
            this.key = key;
            tick();
            gate.tryAcquire(key, DataType.METRICS, 1); // the key's state exists before measuring
            gateCached.tryAcquire(key, DataType.METRICS, 1);
            handle = gate.handle(key, DataType.METRICS);
            handleCached = gateCached.handle(key, DataType.METRICS);
            buckets.put(key, bucket);
            guavas.put(key, guava);
            for (int i = 0; i < 1_000; i++) { // other keys in the maps, as on a server
                buckets.put(key + "-other-" + i, Bucket.builder().addLimit(Bandwidth.builder().capacity(PER_MINUTE)
                    .refillGreedy(PER_MINUTE, Duration.ofMinutes(1)).build()).build());
                guavas.put(key + "-other-" + i, RateLimiter.create(PER_MINUTE / 60.0));
                gate.tryAcquire(key + "-other-" + i, DataType.METRICS, 1);
                gateCached.tryAcquire(key + "-other-" + i, DataType.METRICS, 1);
            }
        }

        void tick() {
            cachedClock.update(System.currentTimeMillis());
            cachedNanos = System.nanoTime();
        }
    }

    // ---- uncontended

    /** The floor under every limiter here: reading the clock once (Bucket4j, Guava, Resilience4j read nanoTime). */
    @Benchmark
    @Threads(1)
    public long clockOnly() {
        return System.currentTimeMillis();
    }

    @Benchmark
    @Threads(1)
    public long nanoClockOnly() {
        return System.nanoTime();
    }

    /** The gate's counter alone (no key lookup, no eviction handshake), with the same clock. */
    @ComparedTo("bucket4j")
    @Benchmark
    @Threads(1)
    public long runlogWindowOnly(final PerThread s) {
        return s.limiters.window.tryAcquire(System.currentTimeMillis(), 1);
    }

    @ComparedTo("bucket4jKeyed")

    @Benchmark
    @Threads(1)
    public long runlogGate(final PerThread s) {
        return s.limiters.gate.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    @ComparedTo("clockOnly")

    @Benchmark
    @Threads(1)
    public boolean bucket4j(final PerThread s) {
        return s.limiters.bucket.tryConsume(1);
    }

    /** Bucket4j found by API key in a map, as a server holds it: like for like with the gate. */
    @ComparedTo("clockOnly")
    @Benchmark
    @Threads(1)
    public boolean bucket4jKeyed(final PerThread s) {
        return s.limiters.buckets.get(s.limiters.key).tryConsume(1);
    }

    @ComparedTo("clockOnly")

    @Benchmark
    @Threads(1)
    public boolean guavaKeyed(final PerThread s) {
        return s.limiters.guavas.get(s.limiters.key).tryAcquire();
    }

    /** The gate with a cached clock (no clock read per decision). */
    @ComparedTo("bucket4jCachedClock")
    @Benchmark
    @Threads(1)
    public long runlogGateCachedClock(final PerThread s) {
        return s.limiters.gateCached.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    /** A handle resolved once (no key lookup per decision), cached clock. */
    @Benchmark
    @Threads(1)
    @ComparedTo("bucket4jCachedClock")
    public long runlogHandleCachedClock(final PerThread s) {
        return s.limiters.handleCached.tryAcquire(1);
    }

    /** A handle resolved once, real clock. */
    @Benchmark
    @Threads(1)
    @ComparedTo("bucket4j")
    public long runlogHandle(final PerThread s) {
        return s.limiters.handle.tryAcquire(1);
    }

    /** Bucket4j with the same kind of cached clock. */
    @Benchmark
    @Threads(1)
    public boolean bucket4jCachedClock(final PerThread s) {
        return s.limiters.bucketCached.tryConsume(1);
    }

    @ComparedTo("clockOnly")

    @Benchmark
    @Threads(1)
    public boolean guava(final PerThread s) {
        return s.limiters.guava.tryAcquire();
    }

    @ComparedTo("clockOnly")

    @Benchmark
    @Threads(1)
    public boolean resilience4j(final PerThread s) {
        return s.limiters.resilience4j.acquirePermission();
    }

    /**
     * Admissions rather than refusals: a limit far above the traffic (16,777,215 a minute) and a
     * clock that moves 1 ms per call, so every call is admitted. Same for Bucket4j. The gate and
     * the map of buckets hold 1,000 other keys, as on a server.
     */
    @State(Scope.Thread)
    public static class Admitting {
        long nowMillis = System.currentTimeMillis();
        final AdmittingLimiters limiters = new AdmittingLimiters(this::now);

        long now() {
            return nowMillis;
        }
    }

    /**
     * Admissions by two threads on one key: one gate, one handle, one bucket shared; thread 0
     * moves the shared (volatile) clock 1 ms per call, thread 1 reads it, as the window's race test does.
     */
    @State(Scope.Benchmark)
    public static class AdmittingShared {
        volatile long nowMillis = System.currentTimeMillis();
        final AdmittingLimiters limiters = new AdmittingLimiters(this::now);

        long now() {
            return nowMillis;
        }
    }

    /** The admitting limiters over one clock. */
    static final class AdmittingLimiters {
        final RollingWindow window;
        final IngestionGate gate;
        final io.runlog.gate.GateHandle handle;
        final Bucket bucket;
        final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

        AdmittingLimiters(final org.agrona.concurrent.EpochClock clock) {
            window = new RollingWindow(RollingWindow.MAX_LIMIT, 60_000, 6, clock.time());
            gate = new IngestionGate(new RateLimits().perMinute(DataType.METRICS, RollingWindow.MAX_LIMIT)
                .submissionsPerHour(RateLimits.UNLIMITED), clock);
            bucket = admittingBucket(clock);
            for (int i = 0; i < 1_000; i++) {
                gate.tryAcquire("other-" + i, DataType.METRICS, 1);
                buckets.put("other-" + i, admittingBucket(clock));
            }
            gate.tryAcquire("key", DataType.METRICS, 1);
            buckets.put("key", bucket);
            handle = gate.handle("key", DataType.METRICS);
        }
    }

    static Bucket admittingBucket(final org.agrona.concurrent.EpochClock millis) {
        return Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(RollingWindow.MAX_LIMIT)
                .refillGreedy(RollingWindow.MAX_LIMIT, Duration.ofMinutes(1)).build())
            .withCustomTimePrecision(new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    return millis.time() * 1_000_000L;
                }

                @Override
                public boolean isWallClockBased() {
                    return false;
                }
            })
            .build();
    }

    @Benchmark
    @Threads(1)
    @ComparedTo("bucket4jByKeyAdmitting")
    public long runlogGateAdmitting(final Admitting s) {
        s.nowMillis++;
        return s.limiters.gate.tryAcquire("key", DataType.METRICS, 1);
    }

    @Benchmark
    @Threads(1)
    @ComparedTo("bucket4jAdmitting")
    public long runlogHandleAdmitting(final Admitting s) {
        s.nowMillis++;
        return s.limiters.handle.tryAcquire(1);
    }

    /** The gate's counter alone, admitting: what the window costs without the key lookup. */
    @Benchmark
    @Threads(1)
    @ComparedTo("bucket4jAdmitting")
    public long runlogWindowAdmitting(final Admitting s) {
        final long now = ++s.nowMillis;
        return s.limiters.window.tryAcquire(now, 1);
    }

    @Benchmark
    @Threads(1)
    public boolean bucket4jAdmitting(final Admitting s) {
        s.nowMillis++;
        return s.limiters.bucket.tryConsume(1);
    }

    /** Bucket4j as a server holds it per API key: a map lookup per request, like the gate's. */
    @Benchmark
    @Threads(1)
    public boolean bucket4jByKeyAdmitting(final Admitting s) {
        s.nowMillis++;
        return s.limiters.buckets.get("key").tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jByKeyAdmittingSameKey")
    public long runlogGateAdmittingSameKey(final AdmittingShared s, final ThreadParams t) {
        if (t.getThreadIndex() == 0) {
            s.nowMillis++;
        }
        return s.limiters.gate.tryAcquire("key", DataType.METRICS, 1);
    }

    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jAdmittingSameKey")
    public long runlogHandleAdmittingSameKey(final AdmittingShared s, final ThreadParams t) {
        if (t.getThreadIndex() == 0) {
            s.nowMillis++;
        }
        return s.limiters.handle.tryAcquire(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jAdmittingSameKey(final AdmittingShared s, final ThreadParams t) {
        if (t.getThreadIndex() == 0) {
            s.nowMillis++;
        }
        return s.limiters.bucket.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jByKeyAdmittingSameKey(final AdmittingShared s, final ThreadParams t) {
        if (t.getThreadIndex() == 0) {
            s.nowMillis++;
        }
        return s.limiters.buckets.get("key").tryConsume(1);
    }

    /** Two threads, each its own gate, key and clock. */
    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jByKeyAdmittingOwnKey")
    public long runlogGateAdmittingOwnKey(final Admitting s) {
        s.nowMillis++;
        return s.limiters.gate.tryAcquire("key", DataType.METRICS, 1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jByKeyAdmittingOwnKey(final Admitting s) {
        s.nowMillis++;
        return s.limiters.buckets.get("key").tryConsume(1);
    }

    // ---- two threads, same key

    @ComparedTo("bucket4jSameKey")

    @Benchmark
    @Threads(2)
    public long runlogGateSameKey(final Shared s) {
        return s.limiters.gate.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    @ComparedTo("bucket4jCachedClockSameKey")

    @Benchmark
    @Threads(2)
    public long runlogGateCachedClockSameKey(final Shared s) {
        return s.limiters.gateCached.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    /** One handle shared by both threads (a handle is thread-safe), against one shared bucket. */
    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jSameKey")
    public long runlogHandleSameKey(final Shared s) {
        return s.limiters.handle.tryAcquire(1);
    }

    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jCachedClockSameKey")
    public long runlogHandleCachedClockSameKey(final Shared s) {
        return s.limiters.handleCached.tryAcquire(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jCachedClockSameKey(final Shared s) {
        return s.limiters.bucketCached.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jSameKey(final Shared s) {
        return s.limiters.bucket.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean guavaSameKey(final Shared s) {
        return s.limiters.guava.tryAcquire();
    }

    @Benchmark
    @Threads(2)
    public boolean resilience4jSameKey(final Shared s) {
        return s.limiters.resilience4j.acquirePermission();
    }

    // ---- two threads, different keys

    @ComparedTo("bucket4jOwnKey")

    @Benchmark
    @Threads(2)
    public long runlogGateOwnKey(final PerThread s) {
        return s.limiters.gate.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    @ComparedTo("bucket4jCachedClockOwnKey")

    @Benchmark
    @Threads(2)
    public long runlogGateCachedClockOwnKey(final PerThread s) {
        return s.limiters.gateCached.tryAcquire(s.limiters.key, DataType.METRICS, 1);
    }

    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jOwnKey")
    public long runlogHandleOwnKey(final PerThread s) {
        return s.limiters.handle.tryAcquire(1);
    }

    @Benchmark
    @Threads(2)
    @ComparedTo("bucket4jCachedClockOwnKey")
    public long runlogHandleCachedClockOwnKey(final PerThread s) {
        return s.limiters.handleCached.tryAcquire(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jCachedClockOwnKey(final PerThread s) {
        return s.limiters.bucketCached.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jOwnKey(final PerThread s) {
        return s.limiters.bucket.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean guavaOwnKey(final PerThread s) {
        return s.limiters.guava.tryAcquire();
    }

    @Benchmark
    @Threads(2)
    public boolean resilience4jOwnKey(final PerThread s) {
        return s.limiters.resilience4j.acquirePermission();
    }
}
