package io.galapagos.worker;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompiledCandidate;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Compiles and runs candidates inside this JVM on a fixed thread pool, without isolation: for trusted
 * code only (benchmarks of the engine, tests). Untrusted candidates go through the sandbox pool.
 */
public final class InProcessEvaluator implements CandidateEvaluator {

    private final TaskRegistry tasks;
    private final int slots;
    private final String name;
    private final ExecutorService executor;
    private final CandidateCompiler compiler = new CandidateCompiler();
    private final Map<String, Evaluator<?>> evaluators = new ConcurrentHashMap<>();

    public InProcessEvaluator(TaskRegistry tasks, int slots, String name) {
        if (slots < 1) {
            throw new IllegalArgumentException("an evaluator needs at least one slot, not " + slots);
        }
        this.tasks = tasks;
        this.slots = slots;
        this.name = name;
        this.executor = Executors.newFixedThreadPool(slots, r -> {
            Thread thread = new Thread(r, "galapagos-in-process-evaluator");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
        return CompletableFuture.supplyAsync(() -> run(request), executor);
    }

    private EvaluationResult run(EvaluationRequest request) {
        long start = System.nanoTime();
        try {
            Task<?> task = tasks.require(request.taskId());
            return runTyped(task, request, start);
        } catch (RuntimeException e) {
            return EvaluationResult.failure(request, EvaluationStatus.SANDBOX_CRASH,
                    "evaluation failed: " + CandidateFailures.describe(e), millisSince(start), name);
        }
    }

    private <C> EvaluationResult runTyped(Task<C> task, EvaluationRequest request, long start) {
        CompiledCandidate<C> candidate;
        try {
            candidate = compiler.compile(request.source(), task.candidateType());
        } catch (CompilationException e) {
            return EvaluationResult.failure(request, EvaluationStatus.COMPILE_ERROR, e.getMessage(), millisSince(start), name);
        }
        @SuppressWarnings("unchecked")
        Evaluator<C> evaluator = (Evaluator<C>) evaluators.computeIfAbsent(request.taskId() + "|"
                + request.dataDirectory().orElse("") + "|" + request.dataSeed(), key -> task.evaluator(dataSource(request)));
        EvaluationReport report = null;
        String split = request.cascade().get(0);
        for (String name : request.cascade()) {
            split = name;
            report = evaluator.evaluate(candidate, Split.parse(name));
            if (!report.succeeded()) {
                break;
            }
        }
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                report.status(), report.score(), report.metrics(), report.feedback(), split.toUpperCase(java.util.Locale.ROOT),
                millisSince(start), name, Optional.of(isolation()));
    }

    private static DataSource dataSource(EvaluationRequest request) {
        return request.dataDirectory().<DataSource>map(dir -> DataSource.directory(Path.of(dir)))
                .orElseGet(() -> new DataSource.Synthetic(request.dataSeed()));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public String isolation() {
        return "in-process";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
