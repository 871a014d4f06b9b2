package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;

import java.util.function.Function;

/**
 * What an embedded node evaluates and proposes with, each made from the node's configuration: the
 * sandbox and the configured generators for a run, other parts for a replay or a benchmark of the engine.
 */
public record NodeParts(Function<Config, CandidateEvaluator> evaluator, Function<Config, GeneratorFactory> generators) {

    /** The sandbox's evaluator and the offline engine or model ensemble each run's settings ask for. */
    public static NodeParts standard() {
        return new NodeParts(config -> Evaluators.forNode(config, TaskRegistry.load()), Evaluators::generators);
    }

    public NodeParts withGenerators(GeneratorFactory factory) {
        return new NodeParts(evaluator, config -> factory);
    }
}
