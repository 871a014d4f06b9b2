package io.galapagos.simulators;

import java.util.Objects;

/**
 * One objective of a task's Pareto search ({@code galapagos.islands.objectives = pareto}): a metric of
 * the evaluation, or the scalar score itself ({@link #SCORE_NAME}), and which way is better.
 *
 * @param name     the key in the evaluation's {@code metrics}, or {@code score}
 * @param maximise whether more is better (a rate, the score) rather than less (a cost, a count of misses)
 */
public record Objective(String name, boolean maximise) {

    /** The name that stands for the evaluation's scalar score rather than one of its metrics. */
    public static final String SCORE_NAME = "score";

    /** The scalar score, maximised: the one objective of a task that declares none. */
    public static final Objective SCORE = new Objective(SCORE_NAME, true);

    public Objective {
        Objects.requireNonNull(name, "name");
    }

    public static Objective minimise(String name) {
        return new Objective(name, false);
    }

    public static Objective maximise(String name) {
        return new Objective(name, true);
    }
}
