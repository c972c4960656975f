package io.runlog.internal;

import java.io.File;

/**
 * Sets the system properties that keep Runlog's dependencies quiet and local, before any
 * Chronicle or JNA class loads. Called from the static initialiser of every public entry point
 * ({@code RunlogStore}, {@code StoreOptions}, the CLI), so an embedder gets it whatever it calls
 * first.
 *
 * <p>Guarantees, by default (a property the embedder set explicitly is left alone):
 * <ul>
 *   <li>{@code chronicle.analytics.disable=true}: Chronicle never reports usage over the network
 *       and never writes its client-id file into the user's home;</li>
 *   <li>{@code chronicle.announcer.disable=true}: no banner on standard output;</li>
 *   <li>{@code chronicle.disk.monitor.disable=true}: no background disk-space thread (Runlog checks
 *       free space itself, see {@code DiskSpaceGuard});</li>
 *   <li>{@code jna.tmpdir} under {@code java.io.tmpdir}: JNA never creates {@code ~/.cache/JNA}.</li>
 * </ul>
 */
public final class JvmDefaults {
    private static final boolean APPLIED = applyOnce();

    private JvmDefaults() {
    }

    /** Idempotent; the work is done once, when this class initialises. */
    public static void apply() {
        if (!APPLIED) {
            throw new IllegalStateException("unreachable");
        }
    }

    private static boolean applyOnce() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("disable.resource.warning", "true");
        setIfAbsent("jvm.resource.tracing", "false");
        setIfAbsent("jna.tmpdir", System.getProperty("java.io.tmpdir") + File.separator + "runlog-jna");
        return true;
    }

    private static void setIfAbsent(final String key, final String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
