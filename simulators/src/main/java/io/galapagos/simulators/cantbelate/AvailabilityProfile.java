package io.galapagos.simulators.cantbelate;

/**
 * Spot availability of one region as a two-state Markov chain: runs of available ticks last
 * {@code meanAvailableTicks} on average, runs of unavailable ticks {@code meanUnavailableTicks}.
 *
 * @param region               region name, e.g. {@code us-west-2a_k80_1}
 * @param meanAvailableTicks   mean length of a run of available ticks (at least 1)
 * @param meanUnavailableTicks mean length of a run of unavailable ticks (at least 1)
 */
public record AvailabilityProfile(String region, double meanAvailableTicks, double meanUnavailableTicks) {

    public AvailabilityProfile {
        if (!(meanAvailableTicks >= 1) || !(meanUnavailableTicks >= 1)) {
            throw new IllegalArgumentException("mean run lengths must be at least one tick: " + region);
        }
    }

    /** Stationary fraction of available ticks. */
    public double availableFraction() {
        return meanAvailableTicks / (meanAvailableTicks + meanUnavailableTicks);
    }
}
