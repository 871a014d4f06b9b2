package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.SandboxEvaluator;
import io.galapagos.worker.sandbox.SandboxSettings;

/** What the embedded node evaluates and generates with. */
public final class Evaluators {

    private Evaluators() {
    }

    /**
     * The evaluator of this node's worker: the sandbox's child JVMs, one per
     * {@code galapagos.worker.slots} slot. Candidate code never runs in the node's own JVM.
     */
    public static CandidateEvaluator forNode(Config config, TaskRegistry tasks) {
        SandboxSettings sandbox = SandboxSettings.fromConfig(config).withSlots(EmbeddedNode.workerSlots(config));
        return SandboxEvaluator.start(sandbox, "embedded-worker");
    }

    /** The generators each run's settings ask for: the offline engine or a model ensemble. */
    public static GeneratorFactory generators() {
        return GeneratorFactory.standard();
    }
}
