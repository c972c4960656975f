package io.runlog.crash;

/**
 * The points {@link CrashChild} logs, as pure functions of (thread, metric, sequence), so the
 * parent can recompute every one bit for bit. Sequences count from 1 per (thread, metric).
 *
 * <p>The step carries (thread, sequence); the timestamp carries (thread, metric, sequence); the
 * value carries them too wherever the IEEE 754 class leaves room (normal numbers, subnormals,
 * quiet and signalling NaN payloads of either sign), and is one of the payload-free specials
 * (+/-infinity, +/-0.0) otherwise. A point stored under the wrong metric, with a torn field, or
 * with a canonicalised NaN therefore never matches its recomputation.
 */
public final class CrashPoints {
    public static final int THREADS = 2;
    public static final int METRICS = 3;
    public static final String PROJECT = "crash";
    private static final int SEQ_BITS = 40;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;
    private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
    private static final long QUIET_BIT = 0x0008_0000_0000_0000L;

    private CrashPoints() {
    }

    public static String metricName(final int metric) {
        return "m" + metric;
    }

    public static long step(final int thread, final long seq) {
        return ((long) thread << SEQ_BITS) | seq;
    }

    public static int threadOf(final long step) {
        return (int) (step >>> SEQ_BITS);
    }

    public static long seqOf(final long step) {
        return step & SEQ_MASK;
    }

    public static long timestamp(final int thread, final int metric, final long seq) {
        return 1_600_000_000_000L + seq * 8 + thread * 4L + metric;
    }

    /** (thread, metric, seq) in 43 bits: fits a NaN payload (51 bits) and a mantissa (52). */
    private static long id(final int thread, final int metric, final long seq) {
        return ((long) thread << 42) | ((long) metric << SEQ_BITS) | seq;
    }

    public static long valueBits(final int thread, final int metric, final long seq) {
        final long id = id(thread, metric, seq);
        final long mix = mix(id);
        final long sign = mix & Long.MIN_VALUE;
        switch ((int) Long.remainderUnsigned(mix, 12)) {
            case 0:
                return 0x7FF0_0000_0000_0000L; // +infinity
            case 1:
                return 0xFFF0_0000_0000_0000L; // -infinity
            case 2:
                return 0x8000_0000_0000_0000L; // -0.0
            case 3:
                return 0L; // +0.0
            case 4:
                return sign | 0x7FF0_0000_0000_0000L | QUIET_BIT | id; // quiet NaN with payload
            case 5:
                return sign | 0x7FF0_0000_0000_0000L | (id & ~QUIET_BIT); // signalling NaN (id != 0)
            case 6:
                return sign | (id & MANTISSA); // subnormal (id != 0)
            default: {
                final long exponent = 1 + Long.remainderUnsigned(mix >>> 12, 2046); // 1..2046: normal
                return sign | (exponent << 52) | id;
            }
        }
    }

    private static long mix(final long x) {
        long z = x * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
