package io.runlog;

/**
 * {@link RunlogStore#projectOrCreate} was asked for a project of one kind, and the store holds a
 * project of that name of the other kind. Nothing was created or changed.
 */
public class ProjectKindMismatchException extends AlreadyExistsException {
    private static final long serialVersionUID = 1L;

    private final ProjectKind existing;

    public ProjectKindMismatchException(final String project, final ProjectKind existing, final ProjectKind wanted) {
        super("project '" + project + "' exists already as an " + existing + " project, not an " + wanted
            + " project; use another project name, or store.project(\"" + project + "\") to use it as it is");
        this.existing = existing;
    }

    /** The kind the existing project has. */
    public ProjectKind existingKind() {
        return existing;
    }
}
