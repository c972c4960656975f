/**
 * Internal: the value and integer codings that the journal ({@code docs/format/journal.md}) and
 * the archive ({@code docs/format/archive.md}) share, each written once. Not part of the public
 * API (its classes are public only so that {@code io.runlog.store} and {@code io.runlog.archive}
 * can both use them).
 *
 * <ul>
 *   <li>{@link io.runlog.codec.ValueMode}: the one list of value modes, with their journal and
 *       archive wire codes.</li>
 *   <li>{@link io.runlog.codec.VarInt}: LEB128 varints and zigzag, on raw memory and on byte
 *       arrays alike.</li>
 *   <li>{@link io.runlog.codec.DecimalCoding}: ALP-style decimals (one rounding rule), and the
 *       archive's float32 variant.</li>
 *   <li>{@link io.runlog.codec.Float32Coding}: the float32 mapping.</li>
 *   <li>{@link io.runlog.codec.XorCoding} and {@link io.runlog.codec.BitsCoding}: the journal's
 *       XOR and BITS value columns.</li>
 *   <li>Frame packing (issue 15, docs/format/codec.md): {@link io.runlog.codec.BitPacking} (the
 *       one bit layout), {@link io.runlog.codec.FrameColumn} (the integer column, the archive's
 *       too), {@link io.runlog.codec.AlpCoding} and {@link io.runlog.codec.AlpRdCoding} (ALP and
 *       ALP-RD, headers in {@link io.runlog.codec.AlpDescriptor} and
 *       {@link io.runlog.codec.AlpRdDescriptor}), {@link io.runlog.codec.Float32Frames}, and
 *       {@link io.runlog.codec.DoubleColumn} (a scheme byte and one of them); their decoders
 *       return an offset or a {@link io.runlog.codec.CodecStatus} error code.</li>
 * </ul>
 *
 * Every method is static and allocation-free; the column decoders check every bound and report
 * a malformed column by their return value, never by reading past it. Raw-memory methods take
 * {@code (Object base, long offset)} as {@code Unsafe} does: {@code base == null} and an absolute
 * address for mapped or direct memory, or a {@code byte[]} and {@link io.runlog.codec.VarInt#BYTE_ARRAY_BASE}
 * plus an index.
 */
package io.runlog.codec;
