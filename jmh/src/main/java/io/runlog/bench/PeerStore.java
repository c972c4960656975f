package io.runlog.bench;

import java.nio.file.Path;

/**
 * One store of the {@link EmbeddedStores} comparison, used as its own documentation recommends.
 *
 * <p>Contract: {@link #ingest} creates a store in an empty directory, writes every point of the
 * workload in arrival order, acknowledging at the store's own granularity (or, with
 * {@code durableEvery > 0}, making every {@code durableEvery} points durable against an OS crash),
 * and returns once the store is closed: the time and CPU of the call are the ingest cost. {@link
 * #open} reopens what ingest left for reading; a {@link Reader} returns one metric's points in
 * arrival order, each read into new arrays, as a caller would get them.
 */
interface PeerStore {
    /** Short name used in the CSV and on the command line. */
    String id();

    /** The store and version, and how it is used, for the table. */
    String label();

    /** What one acknowledgement of the default mode is and survives (process kill, OS crash). */
    String acknowledgement(int durableEvery);

    void ingest(Path dir, PeerWorkload w, int durableEvery) throws Exception;

    Reader open(Path dir, PeerWorkload w) throws Exception;

    /** An open store, read side. */
    interface Reader extends AutoCloseable {
        /** Every point of metric {@code m}, arrival order. */
        PeerWorkload.Columns read(int m) throws Exception;

        /**
         * The query a reopen is timed with: the store's cheapest answer about metric {@code m}
         * (Runlog: its point count from {@code metrics()}; the others: its first point's step).
         */
        long probe(int m) throws Exception;

        @Override
        void close() throws Exception;
    }
}
