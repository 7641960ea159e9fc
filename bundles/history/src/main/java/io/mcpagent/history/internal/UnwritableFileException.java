package io.mcpagent.history.internal;

/**
 * The history's database cannot write its file (a full disk, a read-only file system, the file's permissions or
 * attributes): a start that fails so is tried again, as for a database that does not answer ({@link OpenFailure}).
 */
final class UnwritableFileException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    UnwritableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
