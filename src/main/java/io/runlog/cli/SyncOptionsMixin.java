package io.runlog.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options {@code runlog sync} and {@code runlog upload} share: the server and the API key file. */
public final class SyncOptionsMixin {
    @Option(names = "--server", paramLabel = "URL", required = true,
        description = "The sync server's base URL, for example http://127.0.0.1:8080 (runlog serve).")
    URI server;

    @Option(names = "--api-key-file", paramLabel = "F", required = true,
        description = "File holding the API key (its first line; from 'runlog keys add'). The key is never printed.")
    Path apiKeyFile;

    /** The key: the file's first non-empty line, stripped. */
    String apiKey() {
        final String text;
        try {
            text = Files.readString(apiKeyFile, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new CliException("cannot read the API key file " + apiKeyFile + ": "
                + io.runlog.internal.IoErrors.describe(e, apiKeyFile));
        }
        for (final String line : text.split("\\R")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        throw new CliException("the API key file " + apiKeyFile + " holds no key");
    }

    URI server() {
        final String s = server.getScheme();
        if (s == null || !(s.equals("http") || s.equals("https")) || server.getHost() == null) {
            throw new CliException("--server must be an http:// or https:// URL with a host, got " + server);
        }
        return server;
    }
}
