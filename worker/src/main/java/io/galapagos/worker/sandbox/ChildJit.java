package io.galapagos.worker.sandbox;

import java.time.Duration;

/**
 * Which JIT a slot's children run with. Every candidate is a new class, so a child compiles each
 * candidate's methods anew; with the optimising compiler that costs more than a short simulation gains
 * from it. A slot's children therefore start with the client compiler only ({@link ChildProcess#QUICK_JIT}).
 * The slot's successful evaluations after its first {@link #WARM_UP} (a cold JVM's) are its probe: when
 * the {@link #PROBE} of them averaged more than {@link #SLOW} in the child, the quick child gives way, and
 * the slot's children run the optimising compiler from then on.
 *
 * <p>Measured on Can't-Be-Late's default run (200 evaluations, 2 slots, each simulation 7 ms once
 * optimised): its children used 5.4-6.4 s of CPU with the client compiler only, against 7.8-9.0 s with both.
 * A simulation of 150 ms (EPLB) or more runs markedly faster optimised; its slots move over after their
 * first ten evaluations.
 */
final class ChildJit {

    /** A slot's first successful evaluations, not counted: a new JVM loads and interprets its classes. */
    static final int WARM_UP = 2;
    /** Successful evaluations after them whose mean decides. */
    static final int PROBE = 8;
    /** Mean time in the child per evaluation (all its splits) above which the slot moves to the optimising compiler. */
    static final Duration SLOW = Duration.ofMillis(100);

    private boolean optimising;
    private int seen;
    private long probedNanos;

    /** Whether the slot's next child runs the client compiler only. */
    boolean quick() {
        return !optimising;
    }

    /**
     * A child of this slot completed an evaluation that spent {@code inChildNanos} in its splits. True when
     * the probe just decided for the optimising compiler: the (quick) child must give way.
     */
    boolean evaluated(long inChildNanos) {
        if (optimising || seen >= WARM_UP + PROBE) {
            return false;
        }
        seen++;
        if (seen <= WARM_UP) {
            return false;
        }
        probedNanos += inChildNanos;
        if (seen == WARM_UP + PROBE && probedNanos / PROBE > SLOW.toNanos()) {
            optimising = true;
            return true;
        }
        return false;
    }
}
