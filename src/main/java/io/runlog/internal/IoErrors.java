package io.runlog.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * The cause of an I/O failure in words, for error messages. {@code java.nio} puts only the path
 * into the message of a {@link FileSystemException} ("cannot create X: X"); the reason the system
 * gave ({@code EACCES}, {@code EROFS}, {@code ENOSPC}, ...) is in {@link FileSystemException#getReason()}
 * or only in the exception's type. Internal.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * What went wrong, lower case, without the path the message already names: for example
     * {@code "permission denied"}, {@code "read-only file system"}, {@code "no space left on device"};
     * a path other than {@code about} that the failure concerns is appended ({@code "permission
     * denied (on /a)"}).
     */
    public static String describe(final Throwable e, final Object about) {
        if (e instanceof FileSystemException) {
            final FileSystemException f = (FileSystemException) e;
            String reason = f.getReason();
            if (reason == null || reason.isBlank()) {
                reason = byType(f);
            }
            reason = lowerFirst(reason.strip());
            final String file = f.getFile();
            if (file != null && about != null && !sameFile(file, about.toString())) {
                reason += " (on " + file + (f.getOtherFile() == null ? "" : " and " + f.getOtherFile()) + ")";
            }
            return reason;
        }
        final String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return lowerFirst(message.strip());
    }

    /** {@link #describe(Throwable, Object)} without naming any path (the message names it already). */
    public static String describe(final Throwable e) {
        return describe(e, null);
    }

    private static String byType(final FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        return e.getClass().getSimpleName();
    }

    private static boolean sameFile(final String a, final String b) {
        try {
            return a.equals(b) || java.nio.file.Path.of(a).toAbsolutePath().normalize()
                .equals(java.nio.file.Path.of(b).toAbsolutePath().normalize());
        } catch (final RuntimeException e) {
            return false;
        }
    }

    private static String lowerFirst(final String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
