package io.runlog.cli;

import io.runlog.gate.DataType;
import io.runlog.gate.RateLimits;
import io.runlog.server.ServerOptions;
import io.runlog.server.SyncServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code runlog serve}: the reference sync server (docs/sync.md) on a store directory. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "Serves a store to sync clients over HTTP.",
        "",
        "The protocol (docs/sync.md): uploads of segments, the resume mark, and JSON",
        "reads, with API keys bound to projects ('runlog keys add').",
        "Online experiments are rate-limited per API key and data type; offline ones",
        "meet only the hard limits. Runs until stopped (SIGINT or SIGTERM closes the",
        "store cleanly; after kill -9 every acknowledged segment is still there).",
        ""
    })
public final class ServeCommand extends StoreCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", required = true, description = "The port (0: any free port, printed).")
    int port;

    @Option(names = "--keys", paramLabel = "FILE", required = true,
        description = "The key file ('runlog keys add' writes it; reread when it changes).")
    Path keys;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--rate-limit", paramLabel = "TYPE=N",
        description = "Units per minute and API key for a data type (METRICS, PARAMETERS, OUTPUT, OTHER), or"
            + " TYPE=unlimited; repeatable. Defaults: METRICS=12000, PARAMETERS=10000, OUTPUT=12000, OTHER=8000.")
    List<String> rateLimits = new ArrayList<>();

    @Option(names = "--submissions-per-hour", paramLabel = "N",
        description = "Requests per hour and API key that upload to online experiments (default 15000; or 'unlimited').")
    String submissionsPerHour;

    @Option(names = "--max-body", paramLabel = "BYTES", converter = ByteSize.class,
        description = "The largest segment (default 64M); a larger one is refused with 413 before it is read.")
    Long maxBody;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "Cut off a client that sends nothing for this long (default: ${DEFAULT-VALUE}).")
    int idleTimeout;

    @Option(names = "--keystore", paramLabel = "FILE", description = "A PKCS#12 keystore: serve HTTPS only.")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE",
        description = "A file whose first line is the keystore's password.")
    Path keystorePasswordFile;

    @Option(names = "--rate-clock-speed", paramLabel = "K", defaultValue = "1", hidden = true,
        description = "Runs the rate limits' clock K times faster than real time, from the server's start (1 to 1000;"
            + " 'runlog demo' uses it so that its minute-long windows pass in a second or two).")
    int rateClockSpeed;

    @Override
    public Integer call() throws Exception {
        if (rateClockSpeed < 1 || rateClockSpeed > 1000) {
            throw new ParameterException(spec.commandLine(), "--rate-clock-speed must be 1 to 1000, got " + rateClockSpeed);
        }
        final ServerOptions options = new ServerOptions().rateLimits(limits())
            .idleTimeoutMillis(idleTimeout * 1000L);
        if (rateClockSpeed > 1) {
            final long origin = System.currentTimeMillis();
            final long speed = rateClockSpeed;
            options.clock(() -> origin + (System.currentTimeMillis() - origin) * speed);
        }
        if (idleTimeout < 1) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must be at least 1 second");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 (any free port) to 65535, got " + port);
        }
        if (maxBody != null) {
            if (maxBody < 1024) {
                throw new ParameterException(spec.commandLine(), "--max-body must be at least 1K (1024 bytes), got " + maxBody);
            }
            options.maxBodyBytes(maxBody);
        }
        if (!Files.isRegularFile(keys)) {
            // a typo would serve with no key at all: every request refused with 401
            throw new CliException("key file " + keys + (Files.exists(keys) ? " is not a regular file" : " does not exist")
                + "; 'runlog keys add --keys " + keys + " --project P' creates it with a key");
        }
        if ((keystore == null) != (keystorePasswordFile == null)) {
            throw new ParameterException(spec.commandLine(), "--keystore and --keystore-password-file go together");
        }
        final char[] password = keystorePasswordFile == null ? null : password(keystorePasswordFile);
        final SyncServer server = SyncServer.start(store.directory(), storeOptions(), new InetSocketAddress(bind, port),
            keys, options, keystore, password);
        final Thread stop = new Thread(server::close, "runlog-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        err().printf(Locale.ROOT, "runlog serve: listening on %s (store %s, keys %s)%n", server.url(),
            store.directory(), keys);
        err().flush();
        server.join();
        return 0;
    }

    private static char[] password(final Path file) {
        try {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                throw new CliException("keystore password file " + file + " is empty");
            }
            return lines.get(0).toCharArray();
        } catch (final IOException e) {
            throw new CliException("cannot read keystore password file " + file + ": "
                + io.runlog.internal.IoErrors.describe(e, file));
        }
    }

    private RateLimits limits() {
        final RateLimits limits = new RateLimits();
        for (final String spec : rateLimits) {
            final int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new ParameterException(this.spec.commandLine(), "--rate-limit takes TYPE=N, got '" + spec + "'");
            }
            final DataType type;
            try {
                type = DataType.valueOf(spec.substring(0, eq).strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(this.spec.commandLine(), "--rate-limit: unknown data type '"
                    + spec.substring(0, eq) + "' (METRICS, PARAMETERS, OUTPUT or OTHER)");
            }
            limits.perMinute(type, count("--rate-limit " + type, spec.substring(eq + 1)));
        }
        if (submissionsPerHour != null) {
            limits.submissionsPerHour(count("--submissions-per-hour", submissionsPerHour));
        }
        return limits;
    }

    private long count(final String what, final String text) {
        final String v = text.strip();
        if (v.equalsIgnoreCase("unlimited")) {
            return RateLimits.UNLIMITED;
        }
        try {
            final long n = Long.parseLong(v);
            if (n >= 1 && n <= io.runlog.limit.RollingWindow.MAX_LIMIT) {
                return n;
            }
        } catch (final NumberFormatException ignored) {
            // below
        }
        throw new ParameterException(spec.commandLine(), what + " must be 1 to " + io.runlog.limit.RollingWindow.MAX_LIMIT
            + " or 'unlimited', got '" + text + "'");
    }
}
