package io.galapagos.controller.island;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.protocol.EvaluationRequest;

import java.util.Map;

/** What an island talks to: the dispatcher, other islands and its run (through sharding), its generator. */
public interface IslandEnvironment {

    void submit(EvaluationRequest request);

    void tellIsland(String islandId, Island.Command command);

    void tellRun(String runId, Run.Command command);

    /** The generator of island {@code islandNo}, given what its earlier proposals cost per model. */
    SolutionGenerator generator(RunSettings settings, int islandNo, Map<String, CostTracker.ModelTotals> spent);

    /** How often islands on this node report and resubmit (the node's configuration, not the run's journal). */
    IslandTimers timers();

    /**
     * Whether the results and generator answers that arrive while the island waits for a journal write are
     * journalled together, in one write right after it. Off, each is written as it is handled, so that a
     * command's events are journalled before the next command (what the event-sourced testkit's
     * {@code runCommand} expects).
     */
    default boolean groupsResults() {
        return false;
    }

    /** The journal confirmed a write of the island's events {@code nanos} after the command that made them. */
    default void journalled(long nanos) {
    }
}
