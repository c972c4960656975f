package io.runlog.internal;

import io.runlog.InvalidNameException;
import io.runlog.InvalidValueException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validation of names and text. Every check throws a typed exception whose message names the
 * offending input (escaped so that control characters are visible) and the rule it broke.
 */
public final class Names {
    /** Longest metric, parameter or item name, in UTF-16 chars. */
    public static final int MAX_NAME_LENGTH = 250;
    /** Longest project name or experiment key: they name directories. */
    public static final int MAX_KEY_LENGTH = 128;

    private Names() {
    }

    /** Metric, parameter and item names: 1..250 chars, no control characters, no lone surrogates. */
    public static String checkName(final String what, final String name) {
        if (name == null) {
            throw new InvalidNameException(what + " name is null");
        }
        if (name.isEmpty()) {
            throw new InvalidNameException(what + " name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidNameException(what + " name is " + name.length() + " chars long, the limit is "
                + MAX_NAME_LENGTH + ": '" + preview(name) + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidNameException(what + " name '" + preview(name) + "' holds control character U+"
                    + hex(c) + " at index " + i);
            }
        }
        checkSurrogates(what + " name", name, true);
        return name;
    }

    /**
     * Project names and experiment keys name directories: 1..128 chars of {@code [A-Za-z0-9._-]},
     * starting with a letter or digit.
     */
    public static String checkKey(final String what, final String key) {
        if (key == null) {
            throw new InvalidNameException(what + " is null");
        }
        if (key.isEmpty()) {
            throw new InvalidNameException(what + " is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new InvalidNameException(what + " is " + key.length() + " chars long, the limit is "
                + MAX_KEY_LENGTH + ": '" + preview(key) + "'");
        }
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            final boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!(alnum || (i > 0 && (c == '.' || c == '_' || c == '-')))) {
                throw new InvalidNameException(what + " '" + preview(key) + "' has '" + printable(c) + "' at index " + i
                    + ": use letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
        }
        return key;
    }

    /**
     * Checks every key (a name) and value (a text) of item or prompt metadata; returns an
     * unmodifiable copy in the same order (empty for null).
     */
    public static Map<String, String> checkMetadata(final Map<String, String> metadata) {
        final Map<String, String> copy = new LinkedHashMap<>();
        if (metadata != null) {
            for (final Map.Entry<String, String> e : metadata.entrySet()) {
                checkName("metadata key", e.getKey());
                copy.put(e.getKey(), checkText("metadata value of '" + e.getKey() + "'", e.getValue()));
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Free text (values, output lines, prompts): not null, no lone surrogates. */
    public static String checkText(final String what, final String text) {
        if (text == null) {
            throw new InvalidValueException(what + " is null");
        }
        checkSurrogates(what, text, false);
        return text;
    }

    private static void checkSurrogates(final String what, final String s, final boolean nameError) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                fail(what, s, i, c, nameError);
            } else if (Character.isLowSurrogate(c)) {
                fail(what, s, i, c, nameError);
            }
        }
    }

    private static void fail(final String what, final String s, final int i, final char c, final boolean nameError) {
        final String msg = what + " '" + preview(s) + "' holds a lone surrogate U+" + hex(c) + " at index " + i
            + " (it cannot be stored as UTF-8)";
        throw nameError ? new InvalidNameException(msg) : new InvalidValueException(msg);
    }

    /** The first 60 chars of {@code s}, with control characters and surrogates escaped. */
    public static String preview(final String s) {
        final StringBuilder sb = new StringBuilder();
        final int n = Math.min(s.length(), 60);
        for (int i = 0; i < n; i++) {
            sb.append(printable(s.charAt(i)));
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static String printable(final char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) ? "\\u" + hex(c) : String.valueOf(c);
    }

    private static String hex(final char c) {
        return String.format("%04X", (int) c);
    }
}
