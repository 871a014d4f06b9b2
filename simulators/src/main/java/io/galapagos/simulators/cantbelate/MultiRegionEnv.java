package io.galapagos.simulators.cantbelate;

/** A {@link SpotEnv} spread over several regions, one of which is current. */
public interface MultiRegionEnv extends SpotEnv {
    int regionCount();

    int currentRegion();

    /** Takes effect in this tick; a region outside {@code 0..regionCount()-1} fails the run. */
    void switchRegion(int region);
}
