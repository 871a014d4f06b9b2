package io.galapagos.worker.external;

/**
 * A task folder that cannot become a bundle, or bytes that are not a bundle this code would unpack.
 * The message is one line that names the path, the size or the cap the reader must act on.
 */
public final class TaskBundleException extends Exception {

    public TaskBundleException(String message) {
        super(message);
    }

    public TaskBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
