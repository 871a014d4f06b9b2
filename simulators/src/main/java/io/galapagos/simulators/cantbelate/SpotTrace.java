package io.galapagos.simulators.cantbelate;

import java.util.Objects;

/**
 * Spot availability of one region, tick by tick, and the spot price the run is billed at.
 * Immutable; the simulators read the availability directly in their hot loop.
 */
public final class SpotTrace {

    /** Spot price ($/h) of a trace file without a {@code prices} array, as in the original simulator. */
    public static final double DEFAULT_SPOT_PRICE = 0.9731;

    private final String name;
    private final int gapSeconds;
    private final boolean[] available;
    private final double spotPricePerHour;

    /**
     * @param name             where the trace came from, e.g. {@code us-west-2a_k80_1/0.json}
     * @param gapSeconds       tick length
     * @param available        {@code available[k]}: spot can run during tick k
     * @param spotPricePerHour what a spot tick is billed at
     */
    public SpotTrace(String name, int gapSeconds, boolean[] available, double spotPricePerHour) {
        this.name = Objects.requireNonNull(name, "name");
        if (gapSeconds <= 0) {
            throw new IllegalArgumentException("gap must be positive, got " + gapSeconds);
        }
        if (!(spotPricePerHour >= 0) || Double.isInfinite(spotPricePerHour)) {
            throw new IllegalArgumentException("spot price must be finite and not negative, got " + spotPricePerHour);
        }
        this.gapSeconds = gapSeconds;
        this.available = available.clone();
        this.spotPricePerHour = spotPricePerHour;
    }

    public String name() {
        return name;
    }

    public int gapSeconds() {
        return gapSeconds;
    }

    public int length() {
        return available.length;
    }

    /** Spot availability during tick {@code tick}; past the end of the trace spot counts as unavailable. */
    public boolean availableAt(long tick) {
        return tick >= 0 && tick < available.length && available[(int) tick];
    }

    public double spotPricePerHour() {
        return spotPricePerHour;
    }

    /** A copy of the availability, for tests and generators' checks. */
    public boolean[] availability() {
        return available.clone();
    }

    /** Direct access for the simulators of this package; never modified. */
    boolean[] availabilityView() {
        return available;
    }

    @Override
    public String toString() {
        return "SpotTrace[" + name + ", " + available.length + " ticks of " + gapSeconds + " s]";
    }
}
