package io.runlog.store;

import io.runlog.codec.DecimalCoding;
import io.runlog.codec.VarInt;

import java.util.Arrays;

/**
 * The DECIMAL side of one point batch's value columns, for {@link PointBatchWriter}: which runs
 * can be DECIMAL ({@link DecimalCoding}), at which exponent, with which digits, in how many bytes.
 *
 * <p>Exponent rule. A run's exponent starts at 0 and only rises. Each value is checked at the
 * run's current exponent (one division, {@link #takeAll}); a value needing more decimals raises it to
 * the smallest exponent that fits that value (a search over exponents, which can happen at most
 * {@link DecimalCoding#MAX_EXPONENT} times a run), and a value that fits no exponent makes the run
 * XOR. Every point's digits are kept with the exponent they were taken at. When the run's exponent
 * is final, {@link #choose} scales the earlier digits up exactly ({@link DecimalCoding#rescale}) and
 * counts the varint bytes of their deltas: exact byte counts, and the very digits the writer then
 * writes. A raise that would take some earlier digits past 2^53, where scaling is no
 * longer provably exact, makes the run XOR at once (tracked by the largest magnitude so far).
 *
 * <p>State is per metric id (valid for the ids of the current batch, {@link #reset} after it) and
 * per point in batch order. Reuses its arrays: allocation-free once grown. Not thread-safe.
 */
final class DecimalRuns {
    /** Per id: the run's exponent so far (0 before its first value), or -1 once it is XOR. */
    private int[] exponentById = new int[64];
    /** Per id: bytes of the run's DECIMAL value column (valid after {@link #choose}). */
    private int[] bytesById = new int[64];
    /** Per id: the largest magnitude of the run's digits so far, at its current exponent. */
    private long[] magnitudeById = new long[64];
    /** Per id, scratch of {@link #choose}: the previous digits of the run. */
    private long[] lastById = new long[64];
    /** Per point of the batch, in batch order: metric id, digits, exponent the digits were taken at. */
    private int[] pointIds = new int[1024];
    private long[] digits = new long[1024];
    private byte[] digitExponents = new byte[1024];

    /** Room for metric ids below {@code ids} and for {@code points} points. */
    void ensure(final int ids, final long points) {
        if (exponentById.length < ids) {
            final int size = Math.max(ids, exponentById.length * 2);
            exponentById = Arrays.copyOf(exponentById, size);
            bytesById = Arrays.copyOf(bytesById, size);
            magnitudeById = Arrays.copyOf(magnitudeById, size);
            lastById = Arrays.copyOf(lastById, size);
        }
        if (pointIds.length < points) {
            final int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(points, pointIds.length * 2L));
            pointIds = new int[size];
            digits = new long[size];
            digitExponents = new byte[size];
        }
    }

    /** While coding the batch: point {@code k} of the batch belongs to metric {@code id}. */
    void point(final int k, final int id) {
        pointIds[k] = id;
    }

    /**
     * After the coding pass named every point's metric ({@link #point}): takes the values of the
     * batch's {@code points} points, {@code values[k]} being point k's raw bits. One tight loop
     * over the batch rather than a step of the coding loop: each value's check is a chain of
     * dependent floating-point operations (multiply, round, convert, divide, compare), which a
     * small loop body lets the processor overlap across values.
     */
    void takeAll(final long[] values, final int points) {
        final int[] pointIds = this.pointIds;
        final int[] exponentById = this.exponentById;
        final long[] magnitudeById = this.magnitudeById;
        final long[] digits = this.digits;
        final byte[] digitExponents = this.digitExponents;
        for (int k = 0; k < points; k++) {
            final int id = pointIds[k];
            final int e = exponentById[id];
            if (e < 0) {
                continue;
            }
            final long value = values[k];
            long d = DecimalCoding.digits(value, e);
            if (d == DecimalCoding.NONE) {
                d = raise(id, value, e);
                if (d == DecimalCoding.NONE) {
                    continue;
                }
            }
            digits[k] = d;
            digitExponents[k] = (byte) exponentById[id];
            magnitudeById[id] = Math.max(magnitudeById[id], Math.abs(d));
        }
    }

    /**
     * A value of metric {@code id} does not map at the run's exponent {@code e}: raises the
     * exponent to the smallest that maps it and returns its digits there, or makes the run XOR
     * (no exponent maps it, or earlier digits would leave exact range) and returns
     * {@link DecimalCoding#NONE}.
     */
    private long raise(final int id, final long value, final int e) {
        final int raised = DecimalCoding.exponent(value, e + 1);
        final long magnitude = raised < 0 ? DecimalCoding.NONE : DecimalCoding.rescale(magnitudeById[id], raised - e);
        if (magnitude == DecimalCoding.NONE) {
            exponentById[id] = -1;
            return DecimalCoding.NONE;
        }
        exponentById[id] = raised;
        magnitudeById[id] = magnitude;
        return DecimalCoding.digits(value, raised);
    }

    /**
     * After coding, before the record is opened: scales the digits of every run still DECIMAL to its final exponent and
     * counts their bytes, then keeps for each of the batch's {@code runs} runs (metric ids
     * {@code runIds}) the smaller coding, XOR on a tie: a DECIMAL run gets its length in
     * {@code valueBytesById} (which holds the XOR lengths on entry); an XOR run's exponent
     * becomes -1.
     */
    void choose(final int[] runIds, final int runs, final int points, final int[] valueBytesById) {
        final int[] exponentById = this.exponentById;
        boolean any = false;
        for (int r = 0; r < runs; r++) {
            any |= exponentById[runIds[r]] >= 0;
        }
        if (any) {
            final int[] pointIds = this.pointIds;
            final long[] digits = this.digits;
            final long[] last = this.lastById;
            final int[] bytes = this.bytesById;
            for (int k = 0; k < points; k++) {
                final int id = pointIds[k];
                final int e = exponentById[id];
                if (e < 0) {
                    continue;
                }
                final long d = DecimalCoding.rescale(digits[k], e - digitExponents[k]);
                if (d == DecimalCoding.NONE) { // not reached: take() checked the run's largest digits
                    exponentById[id] = -1;
                    continue;
                }
                digits[k] = d;
                bytes[id] += VarInt.length(VarInt.zigzag(d - last[id]));
                last[id] = d;
            }
        }
        for (int r = 0; r < runs; r++) {
            final int id = runIds[r];
            if (exponentById[id] >= 0 && bytesById[id] < valueBytesById[id]) {
                valueBytesById[id] = bytesById[id];
            } else {
                exponentById[id] = -1;
            }
        }
    }

    /** After {@link #choose}: the exponent of metric {@code id}'s DECIMAL run, or -1 if it is XOR. */
    int exponent(final int id) {
        return exponentById[id];
    }

    /** After {@link #choose}: metric {@code id}'s run is not DECIMAL after all (another coding is shorter). */
    void drop(final int id) {
        exponentById[id] = -1;
    }

    /** The metric id of point {@code k} of the batch (as {@link #point} was told). */
    int pointId(final int k) {
        return pointIds[k];
    }

    /** After {@link #choose}: the digits of point {@code k} of the batch, at its run's exponent. */
    long digits(final int k) {
        return digits[k];
    }

    /** Clears metric {@code id}'s state for the next batch. */
    void reset(final int id) {
        exponentById[id] = 0;
        bytesById[id] = 0;
        magnitudeById[id] = 0;
        lastById[id] = 0;
    }
}
