/**
 * The sync server (docs/sync.md): {@link io.runlog.server.SyncHandler}, a Jetty 12 core handler a
 * tracking server mounts, that takes segments (archives and increments) from sync clients over
 * HTTP, verifies and imports them idempotently, rate-limits online experiments through the
 * {@link io.runlog.gate.IngestionGate}, and answers reads as JSON; {@link io.runlog.server.SyncServer}
 * runs it on its own (what {@code runlog serve} does); {@link io.runlog.server.ApiKeys} holds the
 * hashed API keys. Needs Jetty ({@code jetty-server}) and Jackson ({@code jackson-core}) on the
 * class path: optional dependencies of Runlog, which a harness never loads.
 */
package io.runlog.server;
