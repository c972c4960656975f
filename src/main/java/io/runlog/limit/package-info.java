/**
 * Rate limiting: lock-free rolling-window counters for the ingestion gate (issue 3). Internal
 * building blocks; the public gate is built on them.
 */
package io.runlog.limit;
