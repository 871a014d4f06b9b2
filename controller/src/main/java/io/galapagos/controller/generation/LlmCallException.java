package io.galapagos.controller.generation;

/**
 * A chat completion call that produced no answer; the message is safe to record (keys redacted).
 * {@code endpointFault} failures count towards opening the model's circuit.
 */
public final class LlmCallException extends RuntimeException {

    private final boolean endpointFault;

    public LlmCallException(String message, boolean endpointFault) {
        super(message, null, false, false);
        this.endpointFault = endpointFault;
    }

    public boolean endpointFault() {
        return endpointFault;
    }
}
