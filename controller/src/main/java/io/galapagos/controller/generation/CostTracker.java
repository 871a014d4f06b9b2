package io.galapagos.controller.generation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Token and dollar totals of a run, with an optional USD budget that counts calls in flight: a call
 * goes out only if its worst case (prompt plus a full completion) fits next to what is spent and what
 * other calls may still spend, so a run stops proposing before it overspends. Thread-safe.
 */
public final class CostTracker {

    /** Money set aside for one call until it is settled. */
    public record Reservation(long id, String model, double usd) {
    }

    /** Totals of one model. */
    public record ModelTotals(long calls, long promptTokens, long completionTokens, double costUsd) {

        public static final ModelTotals NONE = new ModelTotals(0, 0, 0, 0);

        /** One more call that used {@code usage}. */
        public ModelTotals plus(Usage usage) {
            return new ModelTotals(calls + 1, promptTokens + usage.promptTokens(),
                    completionTokens + usage.completionTokens(), costUsd + usage.costUsd());
        }

        public ModelTotals plus(ModelTotals other) {
            return new ModelTotals(calls + other.calls, promptTokens + other.promptTokens,
                    completionTokens + other.completionTokens, costUsd + other.costUsd);
        }
    }

    /** A consistent snapshot for the progress display, the status command and the run entity. */
    public record Totals(long calls, long promptTokens, long completionTokens, double spentUsd, double inFlightUsd,
            int callsInFlight, OptionalDouble budgetUsd, Map<String, ModelTotals> perModel) {
    }

    private final OptionalDouble budget;
    private final Map<Long, Reservation> inFlight = new LinkedHashMap<>();
    private final Map<String, ModelTotals> perModel = new LinkedHashMap<>();
    private long nextId;
    private double spent;
    private double reserved;

    private CostTracker(OptionalDouble budget) {
        budget.ifPresent(b -> {
            if (!(b >= 0)) {
                throw new IllegalArgumentException("budget must be >= 0 USD, got " + b);
            }
        });
        this.budget = budget;
    }

    public static CostTracker unlimited() {
        return new CostTracker(OptionalDouble.empty());
    }

    public static CostTracker withBudget(double usd) {
        return new CostTracker(OptionalDouble.of(usd));
    }

    /** Sets money aside for a call, or refuses when it could push the run past its budget. */
    public synchronized Optional<Reservation> tryReserve(String model, double worstCaseUsd) {
        if (budget.isPresent() && spent + reserved + worstCaseUsd > budget.getAsDouble()) {
            return Optional.empty();
        }
        Reservation r = new Reservation(++nextId, model, worstCaseUsd);
        inFlight.put(r.id(), r);
        reserved += worstCaseUsd;
        return Optional.of(r);
    }

    /** The call is over: its reservation is released and what it really cost is counted (once). */
    public synchronized void settle(Reservation reservation, Usage actual) {
        if (inFlight.remove(reservation.id()) == null) {
            return;
        }
        reserved = Math.max(0, reserved - reservation.usd());
        record(reservation.model(), actual);
    }

    /** Counts spending that happened elsewhere: replayed from the journal after a restart. */
    public synchronized void record(String model, Usage usage) {
        restore(model, ModelTotals.NONE.plus(usage));
    }

    /** Counts what earlier sessions spent on {@code model}, as the journal recorded it. */
    public synchronized void restore(String model, ModelTotals totals) {
        spent += totals.costUsd();
        perModel.merge(model, totals, ModelTotals::plus);
    }

    /** Whether a call of {@code worstCaseUsd} can never fit again, whatever the calls in flight cost. */
    public synchronized boolean exhausted(double worstCaseUsd) {
        return budget.isPresent() && spent + worstCaseUsd > budget.getAsDouble();
    }

    /** Whether a call of {@code worstCaseUsd} fits now, next to the calls in flight. */
    public synchronized boolean fits(double worstCaseUsd) {
        return budget.isEmpty() || spent + reserved + worstCaseUsd <= budget.getAsDouble();
    }

    public synchronized Totals totals() {
        long calls = perModel.values().stream().mapToLong(ModelTotals::calls).sum();
        long prompt = perModel.values().stream().mapToLong(ModelTotals::promptTokens).sum();
        long completion = perModel.values().stream().mapToLong(ModelTotals::completionTokens).sum();
        return new Totals(calls, prompt, completion, spent, reserved, inFlight.size(), budget,
                Map.copyOf(perModel));
    }
}
