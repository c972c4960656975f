/**
 * Internal: the storage engine behind the public API. The point ring (hot path), the Chronicle
 * Queue journal, the drainer that moves points from one to the other, the per-experiment catalog
 * that serves reads, payload blobs and the store's on-disk layout. Not part of the public API.
 * See {@code docs/ARCHITECTURE.md} and {@code docs/format/}.
 */
package io.runlog.store;
