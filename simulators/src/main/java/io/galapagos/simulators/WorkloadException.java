package io.galapagos.simulators;

/** Workload data that is missing or malformed; the message says which file and what is wrong. */
public final class WorkloadException extends RuntimeException {
    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
