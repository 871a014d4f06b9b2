package io.galapagos.simulators.telemetry;

import java.util.List;

/** The corruption injected into one snapshot, as the original evaluator names and draws them. */
public enum Fault {
    DROPPED("dropped"),
    SCALED("scaled"),
    CORRELATED_DROPPED("correlated_dropped"),
    CORRELATED_SCALED("correlated_scaled");

    /** The order of the original's {@code choice([...])}. */
    static final List<Fault> DRAW_ORDER = List.of(DROPPED, SCALED, CORRELATED_DROPPED, CORRELATED_SCALED);

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
