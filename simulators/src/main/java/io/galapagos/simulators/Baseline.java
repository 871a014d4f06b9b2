package io.galapagos.simulators;

/**
 * A candidate source shipped with a task: its initial program ({@code initial}) or a human baseline.
 * Baselines are real candidates, compiled and evaluated like any other.
 *
 * @param name        short id used on the command line ({@code --baseline NAME})
 * @param description one line: what the policy does and where it comes from
 * @param source      the Java compilation unit
 */
public record Baseline(String name, String description, String source) {
    public static final String INITIAL = "initial";
}
