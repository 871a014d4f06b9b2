package io.galapagos.worker.external;

/**
 * A task directory that cannot be used; the message is one line that names the file and the key, e.g.
 * {@code galapagos-task.conf: evaluator.command: must be a non-empty list of strings}.
 */
public final class TaskDirectoryException extends RuntimeException {

    public TaskDirectoryException(String message) {
        super(message);
    }

    static TaskDirectoryException of(String file, String key, String problem) {
        return new TaskDirectoryException(file + ": " + key + ": " + problem);
    }
}
