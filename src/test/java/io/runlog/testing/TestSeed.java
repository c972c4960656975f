package io.runlog.testing;

/**
 * The one seed property of every randomised test: {@code -Drunlog.test.seed=N} replays a run
 * (Maven passes it to the test JVM: {@code mvn -B test -Dtest=SomeTest -Drunlog.test.seed=N}).
 * Without it each test draws a fresh seed. Either way the seed is printed, named after the test,
 * so that a failure in CI can be replayed.
 */
public final class TestSeed {
    /** The system property every randomised test reads. */
    public static final String PROPERTY = "runlog.test.seed";

    private TestSeed() {
    }

    /** The seed for {@code test} (printed as {@code "<test> seed=N (-Drunlog.test.seed=N replays it)"}). */
    public static long of(final String test) {
        final long seed = Long.getLong(PROPERTY, System.nanoTime());
        System.out.println(test + " seed=" + seed + " (-D" + PROPERTY + "=" + seed + " replays it)");
        return seed;
    }
}
