package io.galapagos.simulators.cantbelate;

import java.util.Locale;

/**
 * Mean, population standard deviation (numpy's {@code std}), minimum and maximum of run costs.
 *
 * @param count number of runs
 */
record CostSummary(int count, double mean, double std, double min, double max) {

    /** Summary of {@code costs[from..to)} in that order. */
    static CostSummary of(double[] costs, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            throw new IllegalArgumentException("no costs to summarise");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            sum += costs[i];
            min = Math.min(min, costs[i]);
            max = Math.max(max, costs[i]);
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = from; i < to; i++) {
            double d = costs[i] - mean;
            squares += d * d;
        }
        return new CostSummary(n, mean, Math.sqrt(squares / n), min, max);
    }

    static CostSummary of(double[] costs) {
        return of(costs, 0, costs.length);
    }

    static String dollars(double value) {
        return String.format(Locale.ROOT, "$%.2f", value);
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
