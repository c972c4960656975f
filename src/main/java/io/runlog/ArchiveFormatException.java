package io.runlog;

/**
 * An archive file is not a valid Runlog archive: truncated, damaged, of an unknown version, or
 * holding data that cannot be true. Names the byte offset where the problem was found and the
 * block it belongs to. Nothing was imported from a file that fails this way (an import verifies
 * the whole archive before it writes anything).
 */
public class ArchiveFormatException extends RunlogException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String block;

    /**
     * @param file   the archive (as given)
     * @param offset the byte offset in the file where the problem was found
     * @param block  the block it belongs to, for example {@code "block #3 (POINTS of metric 'loss')"}
     *               or {@code "file header"}
     * @param what   what is wrong
     */
    public ArchiveFormatException(final String file, final long offset, final String block, final String what) {
        super("archive " + file + ": " + what + " (" + block + ", at byte offset " + offset + ")");
        this.file = file;
        this.offset = offset;
        this.block = block;
    }

    public String file() {
        return file;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }

    /** The structure the offset belongs to: {@code file header}, {@code block #N (TYPE ...)}, {@code footer}, {@code trailer}. */
    public String block() {
        return block;
    }
}
