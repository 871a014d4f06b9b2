package io.galapagos.controller.island;

import java.util.List;
import java.util.Locale;

/**
 * The scores one program got from a stochastic evaluator (its first evaluation and its repeats), and
 * the rule by which it displaces an island's best: its mean must be better (higher) by more than a
 * number of standard errors of the difference of the two means ({@code galapagos.islands.noise.standard-errors}). Spread is the standard error of the mean
 * (sample standard deviation over the square root of the count).
 *
 * @param samples the scores, first evaluation first; at least one, all finite
 */
public record NoisyScore(List<Double> samples) {

    /** How many standard errors of the difference a challenger's mean must lead by, unless configured. */
    public static final double STANDARD_ERRORS = 2.0;

    /** What the rule says about a challenger. */
    public enum Verdict {
        /** its mean leads by more than the noise */
        DISPLACES,
        /** its mean does not lead, or leads by no more than the noise */
        KEEPS,
        /** it leads on too few samples to tell: re-evaluate it before deciding */
        NEEDS_REPEATS
    }

    public NoisyScore {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a score needs at least one sample");
        }
        for (double sample : samples) {
            if (!Double.isFinite(sample)) {
                throw new IllegalArgumentException("a score sample must be finite, not " + sample);
            }
        }
    }

    public static NoisyScore of(double... samples) {
        return new NoisyScore(java.util.Arrays.stream(samples).boxed().toList());
    }

    public NoisyScore with(double sample) {
        List<Double> more = new java.util.ArrayList<>(samples);
        more.add(sample);
        return new NoisyScore(more);
    }

    public int count() {
        return samples.size();
    }

    public double mean() {
        double sum = 0;
        for (double sample : samples) {
            sum += sample;
        }
        return sum / samples.size();
    }

    /** The sample variance (n - 1); 0 for a single sample, which says nothing about the noise. */
    public double variance() {
        if (samples.size() < 2) {
            return 0;
        }
        double mean = mean();
        double squares = 0;
        for (double sample : samples) {
            squares += (sample - mean) * (sample - mean);
        }
        return squares / (samples.size() - 1);
    }

    public double standardDeviation() {
        return Math.sqrt(variance());
    }

    /** The standard error of the mean; 0 for a single sample. */
    public double standardError() {
        return Math.sqrt(variance() / samples.size());
    }

    /**
     * Whether this score displaces {@code best} under an evaluator that repeats each best
     * {@code repeats} times. With {@code repeats == 0} (a deterministic evaluator) the higher mean wins.
     * Otherwise a challenger whose mean leads but that has fewer than {@code repeats + 1} samples needs
     * its repeats first; with them, it displaces only when it leads by more than
     * {@link #STANDARD_ERRORS} standard errors of the difference. A side with a single sample (a seed
     * not re-evaluated) is given the other side's variance: the evaluator's noise, not the program's.
     */
    public Verdict against(NoisyScore best, int repeats) {
        return against(best, repeats, STANDARD_ERRORS);
    }

    /** {@link #against(NoisyScore, int)} with a challenger leading by more than {@code standardErrors}. */
    public Verdict against(NoisyScore best, int repeats, double standardErrors) {
        if (repeats < 0) {
            throw new IllegalArgumentException("repeats must be 0 (off) or positive, not " + repeats);
        }
        double lead = mean() - best.mean();
        if (!(lead > 0)) {
            return Verdict.KEEPS;
        }
        if (repeats == 0) {
            return Verdict.DISPLACES;
        }
        if (count() < repeats + 1) {
            return Verdict.NEEDS_REPEATS;
        }
        double mine = count() > 1 ? variance() : best.variance();
        double theirs = best.count() > 1 ? best.variance() : mine;
        double standardError = Math.sqrt(mine / count() + theirs / best.count());
        return lead > standardErrors * standardError ? Verdict.DISPLACES : Verdict.KEEPS;
    }

    /** The lowest and highest sample, for reports. */
    public double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    public double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    /** {@code mean ± standard error (n samples)}, for reports. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s ± %s (standard error of %d)", mean(), standardError(), count());
    }
}
