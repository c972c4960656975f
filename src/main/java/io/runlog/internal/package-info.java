/**
 * Internal: JVM setup and input validation shared by the API and the engine. Not part of the
 * public API; may change without notice.
 */
package io.runlog.internal;
