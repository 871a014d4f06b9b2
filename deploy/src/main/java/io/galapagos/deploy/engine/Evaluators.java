package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.generation.OfflineMutator;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.cluster.ClusterNode;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.SandboxEvaluator;
import io.galapagos.worker.sandbox.SandboxSettings;

import java.util.function.Function;

/** What the embedded node evaluates and generates with. */
public final class Evaluators {

    private Evaluators() {
    }

    /**
     * The evaluator of this node's worker: the sandbox's child JVMs, one per
     * {@code galapagos.worker.slots} slot. Candidate code never runs in the node's own JVM.
     */
    public static CandidateEvaluator forNode(Config config, TaskRegistry tasks) {
        SandboxSettings sandbox = SandboxSettings.fromConfig(config).withSlots(ClusterNode.workerSlots(config));
        return SandboxEvaluator.start(sandbox, "embedded-worker");
    }

    /** The offline mutation engine: the embedded default when no model is configured. */
    public static Function<RunSettings, SolutionGenerator> generators() {
        return settings -> new OfflineMutator(settings.taskId());
    }
}
