package io.runlog;

import io.runlog.gate.IngestionGate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API is {@code io.runlog} and {@code io.runlog.gate}: no public or protected member of
 * a public type there (method, constructor, field, super type, thrown exception, generic
 * argument) names a type of another Runlog package ({@code io.runlog.store}, {@code .internal},
 * {@code .sample}, ...). Prints the surface it checked.
 */
class ApiSurfaceTest {
    private static final Set<String> API_PACKAGES = Set.of("io.runlog", "io.runlog.gate");

    /** Every public top-level and nested type of the API packages, from the compiled classes. */
    static List<Class<?>> publicApiTypes() {
        final List<Class<?>> types = new ArrayList<>();
        try {
            final Path classes = Path.of(RunlogStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (final String pkg : API_PACKAGES) {
                try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                    for (final Path f : (Iterable<Path>) files::iterator) {
                        final String file = f.getFileName().toString();
                        if (!file.endsWith(".class") || file.equals("package-info.class")) {
                            continue;
                        }
                        final Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - 6), false,
                            RunlogStore.class.getClassLoader());
                        if (isApi(c)) {
                            types.add(c);
                        }
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        types.sort((a, b) -> a.getName().compareTo(b.getName()));
        return types;
    }

    /** Public, and (if nested) public all the way out; anonymous and local classes are not API. */
    private static boolean isApi(final Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(final int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Adds to {@code leaks} every Runlog type outside the API packages that {@code t} names. */
    private static void check(final Type t, final String where, final Set<String> leaks) {
        if (t instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            final String pkg = base.getPackageName();
            if (pkg.startsWith("io.runlog") && !API_PACKAGES.contains(pkg)) {
                leaks.add(where + " names " + base.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(p.getRawType(), where, leaks);
            for (final Type a : p.getActualTypeArguments()) {
                check(a, where, leaks);
            }
        } else if (t instanceof WildcardType w) {
            for (final Type b : w.getUpperBounds()) {
                check(b, where, leaks);
            }
            for (final Type b : w.getLowerBounds()) {
                check(b, where, leaks);
            }
        } else if (t instanceof GenericArrayType g) {
            check(g.getGenericComponentType(), where, leaks);
        } else if (t instanceof TypeVariable<?> v) {
            for (final Type b : v.getBounds()) {
                check(b, where, leaks);
            }
        }
    }

    private static void checkExecutable(final Executable e, final String where, final Set<String> leaks) {
        for (final Type p : e.getGenericParameterTypes()) {
            check(p, where, leaks);
        }
        for (final Type x : e.getGenericExceptionTypes()) {
            check(x, where, leaks);
        }
        for (final TypeVariable<?> v : e.getTypeParameters()) {
            check(v, where, leaks);
        }
    }

    /** The surface as lines ("type member(signature)") and the leaks found in it. */
    static Set<String> surface(final Set<String> leaks) {
        final Set<String> lines = new TreeSet<>();
        for (final Class<?> c : publicApiTypes()) {
            final String type = c.getName();
            lines.add(type);
            check(c.getGenericSuperclass(), type + " extends", leaks);
            for (final Type i : c.getGenericInterfaces()) {
                check(i, type + " implements", leaks);
            }
            for (final Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    lines.add(type + " " + k.toGenericString());
                    checkExecutable(k, type + " constructor " + k.toGenericString(), leaks);
                }
            }
            for (final Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    final String where = type + " " + m.toGenericString();
                    lines.add(where);
                    check(m.getGenericReturnType(), where, leaks);
                    checkExecutable(m, where, leaks);
                }
            }
            for (final Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    final String where = type + " " + f.toGenericString();
                    lines.add(where);
                    check(f.getGenericType(), where, leaks);
                }
            }
        }
        return lines;
    }

    @Test
    void shouldNameNoTypeOfAnInternalPackageInAnyPublicSignatureOfIoRunlogOrIoRunlogGate() {
        final Set<String> leaks = new TreeSet<>();
        final Set<String> lines = surface(leaks);
        System.out.println("ApiSurfaceTest: " + lines.size() + " public types and members in " + API_PACKAGES + ":");
        lines.forEach(l -> System.out.println("  " + l));
        assertTrue(lines.size() > 100, "the scan found only " + lines.size() + " members: is it looking in the right place?");
        assertTrue(lines.contains(RunlogStore.class.getName()) && lines.contains(IngestionGate.class.getName()));
        assertEquals(Set.of(), leaks, "public signatures name internal types");
    }

    @Test
    void shouldKeepTheEngineTheSampleCacheAndTheFileSystemSeamOutOfThePublicApi() {
        final Set<String> lines = surface(new TreeSet<>());
        for (final String l : lines) {
            assertFalse(l.matches(".*RunlogStore\\.(engine|sampleCache)\\(.*"), l);
            assertFalse(l.matches(".*StoreOptions\\.fileSystem\\(.*"), l);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("RunlogStore.openReadOnly(java.nio.file.Path)")));
    }
}
