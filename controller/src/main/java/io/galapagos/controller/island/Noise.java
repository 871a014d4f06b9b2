package io.galapagos.controller.island;

import io.galapagos.protocol.CborSerializable;

/**
 * Whether the run's task has a stochastic evaluator (the same program scores differently from one
 * evaluation to the next) and how an island then decides its best ({@code galapagos.islands.noise}):
 * a candidate that would become the best is evaluated {@code repeats} times in all, and displaces the
 * best only when its mean leads by more than {@code standardErrors} standard errors ({@link NoisyScore}).
 * Kept in the run's journal with the other island settings.
 *
 * @param stochastic     the task says its evaluator is noisy; false: the first score decides, as always
 * @param repeats        evaluations of a would-be best in all (its first and {@code repeats - 1} re-evaluations)
 * @param standardErrors how many standard errors of the difference of the means a challenger must lead by
 */
public record Noise(boolean stochastic, int repeats, double standardErrors) implements CborSerializable {

    /** A deterministic task: what runs journalled before noise existed have. */
    public static final Noise OFF = new Noise(false, 3, NoisyScore.STANDARD_ERRORS);

    /** Whether would-be bests are re-evaluated. */
    public boolean active() {
        return stochastic && repeats > 1;
    }

    /** The re-evaluations of a would-be best: what {@link NoisyScore#against} calls repeats. */
    public int reEvaluations() {
        return active() ? repeats - 1 : 0;
    }

    /** These settings for a task that is {@code stochastic} or not, with the task's own count of repeats if it has one. */
    public Noise forTask(boolean taskStochastic, java.util.Optional<Integer> taskRepeats) {
        return new Noise(taskStochastic, taskRepeats.orElse(repeats), standardErrors);
    }

    /** Throws {@link IllegalArgumentException} naming the {@code galapagos.islands.noise} key at fault. */
    public Noise check() {
        if (repeats < 2 || repeats > 100) {
            throw new IllegalArgumentException("galapagos.islands.noise.repeats must be from 2 to 100 (evaluations of a "
                    + "stochastic task's would-be best in all), not " + repeats);
        }
        if (!(standardErrors >= 0 && standardErrors <= 10)) {
            throw new IllegalArgumentException("galapagos.islands.noise.standard-errors must be from 0 to 10, not "
                    + standardErrors);
        }
        return this;
    }
}
