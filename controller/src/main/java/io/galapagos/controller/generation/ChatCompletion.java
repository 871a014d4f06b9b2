package io.galapagos.controller.generation;

/**
 * A model's answer.
 *
 * @param finishReason {@code stop}, {@code length} (cut at max tokens), ... as the endpoint reports it
 * @param usage        tokens from the response's {@code usage} (estimated from text length when the
 *                     endpoint omits it) and their cost
 * @param attempts     HTTP requests it took, retries included
 */
public record ChatCompletion(String content, String finishReason, Usage usage, boolean usageEstimated, int attempts) {

    public boolean truncated() {
        return "length".equals(finishReason);
    }
}
