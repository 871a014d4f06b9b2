package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.Split;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.external.BundledTask;
import io.galapagos.worker.external.ExternalEvaluator;
import io.galapagos.worker.external.ExternalSettings;
import io.galapagos.worker.external.TaskDirectory;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a worker node evaluates with: built-in tasks in the sandbox's child JVMs, task folders with their
 * own evaluator in the same jail. A folder task's bundle is fetched from the run's database and unpacked
 * into this machine's bundle cache on first use; its evaluator processes then serve every later request.
 */
public final class NodeEvaluator implements CandidateEvaluator {

    private final CandidateEvaluator builtIn;
    private final Config config;
    private final String name;
    private final Map<String, ExternalEvaluator> folders = new ConcurrentHashMap<>();
    /** Fetching, unpacking and starting an evaluator block; they never hold up the caller's thread. */
    private final ExecutorService starter = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "galapagos-task-folders");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Jail jail;

    public NodeEvaluator(CandidateEvaluator builtIn, Config config, String name) {
        this.builtIn = builtIn;
        this.config = config;
        this.name = name;
    }

    @Override
    public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
        Optional<String> hash = BundledTask.bundleHash(request.taskId());
        if (hash.isEmpty()) {
            return builtIn.evaluate(request);
        }
        // The folder's evaluator runs the whole file: its candidates meet the EVOLVE-BLOCK rule of the sandbox's check.
        Optional<EvolveBlocks.Refusal> refusal = request.parentSource()
                .flatMap(parent -> EvolveBlocks.check(parent, request.source()));
        if (refusal.isPresent()) {
            EvolveBlocks.Refusal r = refusal.get();
            return CompletableFuture.completedFuture(EvaluationResult.failure(request, EvaluationStatus.REJECTED,
                    "The candidate was rejected before it ran:\n- " + (r.line() > 0 ? "line " + r.line() + ": " : "")
                            + r.message(), 0, name));
        }
        long start = System.nanoTime();
        List<Split> cascade = request.cascade().stream().map(Split::parse).toList();
        Optional<Path> data = request.dataDirectory().map(Path::of);
        return CompletableFuture.supplyAsync(() -> folder(request.taskId(), hash.get()), starter)
                .thenCompose(evaluator -> evaluator.evaluate(request.source(), cascade, data))
                .handle((outcome, failure) -> failure == null
                        ? result(request, outcome)
                        : EvaluationResult.failure(request, EvaluationStatus.SANDBOX_CRASH, "the task folder's evaluator"
                                + " failed to start: " + CandidateFailures.describe(unwrap(failure)),
                                (System.nanoTime() - start) / 1_000_000, name));
    }

    private ExternalEvaluator folder(String taskId, String hash) {
        return folders.computeIfAbsent(hash, h -> {
            TaskDirectory task = TaskFolders.load(config, taskId).orElseThrow();
            if (jail == null) {
                jail = Jail.probe(ExternalSettings.fromConfig(config).jail());
            }
            return ExternalEvaluator.start(task, jail, ExternalSettings.fromConfig(config));
        });
    }

    private EvaluationResult result(EvaluationRequest request, SandboxOutcome outcome) {
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                outcome.status(), outcome.score(), outcome.metrics(), outcome.feedback(), outcome.split().name(),
                outcome.elapsedMillis(), name, Optional.of(outcome.isolation()));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    @Override
    public int slots() {
        return builtIn.slots();
    }

    @Override
    public String isolation() {
        return builtIn.isolation();
    }

    @Override
    public long sandboxRestarts() {
        return builtIn.sandboxRestarts();
    }

    @Override
    public void close() {
        starter.shutdownNow();
        folders.values().forEach(ExternalEvaluator::close);
        builtIn.close();
    }
}
