package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.generation.OfflineMutator;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.InProcessEvaluator;

import java.util.function.Function;

/** What the embedded node evaluates and generates with. */
public final class Evaluators {

    private Evaluators() {
    }

    /** The evaluator of this node's worker, with {@code galapagos.worker.slots} slots. */
    public static CandidateEvaluator forNode(Config config, TaskRegistry tasks) {
        return new InProcessEvaluator(tasks, EmbeddedNode.workerSlots(config), "embedded-worker");
    }

    /** The offline mutation engine: the embedded default when no model is configured. */
    public static Function<RunSettings, SolutionGenerator> generators() {
        return settings -> new OfflineMutator(settings.taskId());
    }
}
