package io.galapagos.simulators.prism;

/**
 * An LLM to serve.
 *
 * @param name        unique within a case, e.g. {@code model_3}
 * @param sizeGb      weights, GB of GPU memory
 * @param requestRate requests per second it receives
 * @param slo         its latency objective; {@code requestRate / slo} is its weighted load
 * @param currentGpu  the GPU it sits on before placement (informative only)
 */
public record Model(String name, int sizeGb, int requestRate, int slo, int currentGpu) {

    /** The weighted request rate {@code requestRate / slo} that KV-cache pressure adds up. */
    public double weightedRate() {
        return (double) requestRate / slo;
    }
}
