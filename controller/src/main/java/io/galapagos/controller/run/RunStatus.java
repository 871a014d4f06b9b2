package io.galapagos.controller.run;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.protocol.CborSerializable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a run reports about itself: phase, counters summed over its islands, the best program. */
public record RunStatus(Phase phase, Optional<RunSettings> settings, List<IslandReport> islands,
                        Optional<BestSummary> best, long elapsedMillis, Optional<String> reason)
        implements CborSerializable {

    public enum Phase { NOT_STARTED, RUNNING, STOPPING, COMPLETED }

    public RunStatus {
        islands = List.copyOf(islands);
    }

    public long proposed() {
        return islands.stream().mapToLong(IslandReport::proposed).sum();
    }

    public long evaluated() {
        return islands.stream().mapToLong(IslandReport::evaluated).sum();
    }

    public long failedProposals() {
        return islands.stream().mapToLong(IslandReport::failedProposals).sum();
    }

    public long inFlight() {
        return islands.stream().mapToLong(IslandReport::inFlight).sum();
    }

    /** Tokens and dollars of model calls per model, over all islands. */
    public Map<String, CostTracker.ModelTotals> spending() {
        Map<String, CostTracker.ModelTotals> total = new TreeMap<>();
        islands.forEach(i -> i.spending().forEach((model, t) -> total.merge(model, t, CostTracker.ModelTotals::plus)));
        return total;
    }

    /** Tokens and dollars of every model call of the run. */
    public CostTracker.ModelTotals spent() {
        return spending().values().stream().reduce(CostTracker.ModelTotals.NONE, CostTracker.ModelTotals::plus);
    }

    /** Evaluated candidates that failed, by status, over all islands. */
    public Map<String, Long> failures() {
        Map<String, Long> total = new TreeMap<>();
        islands.forEach(i -> i.failures().forEach((status, n) -> total.merge(status, n, Long::sum)));
        return total;
    }
}
