package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.generation.GenerationConfig;
import io.galapagos.controller.generation.GeneratorFactory;
import io.galapagos.controller.generation.LlmCallLog;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.SandboxEvaluator;
import io.galapagos.worker.sandbox.SandboxSettings;

import java.nio.file.Path;

/** What the embedded node evaluates and generates with. */
public final class Evaluators {

    private Evaluators() {
    }

    /**
     * The evaluator of this node's worker: the sandbox's child JVMs, one per
     * {@code galapagos.worker.slots} slot, and the jailed evaluators of task folders. Candidate code never
     * runs in the node's own JVM.
     */
    public static CandidateEvaluator forNode(Config config, TaskRegistry tasks) {
        return forNode(config, tasks, "embedded-worker");
    }

    /** The same, with the worker name that its results carry (a cluster node uses its address). */
    public static CandidateEvaluator forNode(Config config, TaskRegistry tasks, String workerName) {
        SandboxSettings sandbox = SandboxSettings.fromConfig(config);
        return new NodeEvaluator(SandboxEvaluator.start(sandbox, workerName), config, workerName);
    }

    /**
     * The generators each run's settings ask for: the offline engine or a model ensemble, for a built-in
     * task or for a task folder (whose brief comes from its bundle in the run's database). Models are called
     * as this node's {@code config} says now (timeouts, retries, circuit, concurrency, moved endpoints).
     */
    public static GeneratorFactory generators(Config config) {
        return GeneratorFactory.standard(settings -> TaskFolders.load(config, settings.taskId())
                .map(task -> TaskFolders.brief(settings.taskId(), task)), callLog(config), GenerationConfig.calls(config));
    }

    /** Where this node records its model calls: {@code galapagos.generation.llm-log}, a directory or off. */
    public static LlmCallLog callLog(Config config) {
        String key = "galapagos.generation.llm-log";
        String value = config.getString(key).strip();
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no")) {
            return LlmCallLog.OFF;
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " is empty: set a directory, or off");
        }
        return LlmCallLog.jsonLines(Path.of(value).toAbsolutePath().normalize());
    }
}
