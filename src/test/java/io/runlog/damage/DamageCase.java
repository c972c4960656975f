package io.runlog.damage;

import java.util.Locale;

/**
 * One case of the fuzzer: which store, which file, which damage, and how the store answered.
 *
 * @param index     the case's index (with the seed, {@code -Drunlog.fuzz.case=INDEX} replays it alone)
 * @param variant   the store damaged
 * @param readOnly  whether the damaged store was opened with {@code RunlogStore.openReadOnly}
 * @param kind      the kind of file damaged
 * @param file      the file, relative to the store directory
 * @param mutation  the damage
 * @param detail    exactly what the damage changed (offsets, lengths)
 * @param outcome   how the store answered
 * @param evidence  the typed error, the first difference from the intact data, or the untyped throwable
 * @param named     for a refusal: whether its message (or a cause's) names the damaged file or its directory
 */
record DamageCase(int index, Variant variant, boolean readOnly, FileKind kind, String file, Mutation mutation,
                  String detail, Outcome outcome, String evidence, boolean named) {

    /** The store and how it was opened, as the report names it: {@code CLEAN}, {@code CRASHED read-only}. */
    String store() {
        return variant + (readOnly ? " read-only" : "");
    }

    /** The stores damaged (see {@link DamageFixtures}). */
    enum Variant {
        /** Closed cleanly. */
        CLEAN,
        /** Left by a SIGKILLed child with a ring: every open of it is a crash recovery. */
        CRASHED
    }

    /** What a damaged file is. */
    enum FileKind {
        /** Chronicle cycle files {@code journal/*.cq4}. */
        JOURNAL,
        /** Chronicle's {@code journal/metadata.cq4t}. */
        METADATA,
        /** {@code journal.manifest}: the cycle files and record counts the journal must hold. */
        MANIFEST,
        /** Item payloads {@code blobs/SHA256}. */
        PAYLOAD,
        /** {@code points.ring}, left by the crash. */
        RING,
        /** {@code runlog-store.properties}, {@code project.properties}, {@code experiment.properties}. */
        PROPERTIES,
        /** {@code archive-imports/SOURCE.mark}: checked by importing the same archive again. */
        IMPORT_MARK,
        /** {@code archive-source.id}: checked by exporting the experiment (its archive must carry the intact id). */
        SOURCE_ID
    }

    /** How a store answered a case, worst first. */
    enum Outcome {
        /** Something other than a {@code RunlogException} escaped the public API. */
        UNTYPED(true, "UNTYPED exception"),
        /** The case did not finish within its time limit. */
        HANG(true, "HANG"),
        /** Data returned without an error differs from the intact data. */
        WRONG_DATA(true, "WRONG DATA"),
        /** Fewer data returned without an error; what was returned is intact. */
        LOST_DATA(true, "LOST DATA (silently fewer)"),
        /**
         * Fewer data, reported: only metric points are missing, at most as many as the experiment's
         * {@code skippedRingSlots()} counts (ring slots recovery skipped as torn or damaged, a loss
         * that {@code runlog check} and {@code runlog status} report); everything returned is intact.
         */
        REPORTED_LOSS(false, "reported loss"),
        /** A typed {@code RunlogException}; what was returned before it is intact. */
        REFUSED(false, "typed refusal"),
        /** Exactly the intact data. */
        CORRECT(false, "correct data");

        final boolean failing;
        final String label;

        Outcome(final boolean failing, final String label) {
            this.failing = failing;
            this.label = label;
        }
    }

    /** One line that says everything needed to replay and understand the case. */
    String describe(final long seed) {
        return String.format(Locale.ROOT, "case %d [%s %s %s] %s: %s -> %s: %s (replay: -Drunlog.test.seed=%d"
                + " -Drunlog.fuzz.case=%d)", index, store(), kind, mutation, file, detail, outcome.label, evidence, seed,
            index);
    }
}
