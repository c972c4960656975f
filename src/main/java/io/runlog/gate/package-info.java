/**
 * Public API: the ingestion gate a tracking server puts in front of a store. {@link
 * io.runlog.gate.IngestionGate} admits {@link io.runlog.gate.Submission}s per API key and
 * {@link io.runlog.gate.DataType} within {@link io.runlog.gate.RateLimits}, answers with a
 * {@link io.runlog.gate.SubmissionResult} (or an {@link io.runlog.gate.Admission} for a bare
 * decision), and keeps each experiment's {@link io.runlog.gate.ThrottleWarning} flag, announcing
 * episodes to {@link io.runlog.gate.ThrottleListener}s as {@link io.runlog.gate.ThrottleNotice}s.
 * {@link io.runlog.gate.GateHandle} is the allocation-free fast path for one key and metric.
 * For HTTP: {@link io.runlog.gate.RetryAfter} turns a retry time into {@code Retry-After} seconds,
 * and {@link io.runlog.gate.Quota} ({@code IngestionGate.quota}) holds the {@code RateLimit}
 * header values. A retry time is the earliest at which the same request is admitted with no
 * other traffic; {@link io.runlog.gate.Admission#NEVER} means too large: split it (docs/gate.md).
 */
package io.runlog.gate;
