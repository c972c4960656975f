package io.runlog;

import java.nio.file.Path;

/**
 * What an export wrote.
 *
 * @param file    the archive (absolute)
 * @param bytes   its size
 * @param points  metric points it holds
 * @param entries parameter values, output lines, items and prompts it holds
 */
public record ExportResult(Path file, long bytes, long points, long entries) {
}
