package io.galapagos.worker;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.EvaluationTimeline;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.SandboxOutcome;
import io.galapagos.worker.sandbox.SandboxPhases;
import io.galapagos.worker.sandbox.SandboxPool;
import io.galapagos.worker.sandbox.SandboxRequest;
import io.galapagos.worker.sandbox.SandboxSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Evaluates candidates in the sandbox's pooled child JVMs: what a worker node runs untrusted code with. */
public final class SandboxEvaluator implements CandidateEvaluator {

    private final SandboxPool pool;
    private final String name;

    private SandboxEvaluator(SandboxPool pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    public static SandboxEvaluator start(SandboxSettings settings, String name) {
        return new SandboxEvaluator(SandboxPool.start(settings), name);
    }

    @Override
    public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
        long start = System.nanoTime();
        List<Split> cascade = request.cascade().stream().map(Split::parse).toList();
        DataSource data = request.dataDirectory().<DataSource>map(dir -> DataSource.directory(Path.of(dir)))
                .orElseGet(() -> new DataSource.Synthetic(request.dataSeed()));
        SandboxRequest sandboxRequest = new SandboxRequest(request.candidateId(), request.taskId(), request.source(),
                request.parentSource(), cascade, data, false);
        return pool.evaluate(sandboxRequest).handle((outcome, failure) -> failure == null
                ? result(request, outcome)
                : EvaluationResult.failure(request, EvaluationStatus.SANDBOX_CRASH,
                        "sandbox failed: " + CandidateFailures.describe(failure), (System.nanoTime() - start) / 1_000_000, name));
    }

    private EvaluationResult result(EvaluationRequest request, SandboxOutcome outcome) {
        SandboxPhases phases = outcome.phases();
        String id = request.evaluationId();
        EvaluationTimeline.span(id, EvaluationTimeline.Span.STATIC_CHECK, phases.staticCheck());
        EvaluationTimeline.span(id, EvaluationTimeline.Span.SANDBOX_QUEUE, phases.queue());
        EvaluationTimeline.span(id, EvaluationTimeline.Span.COMPILE, phases.compile());
        EvaluationTimeline.span(id, EvaluationTimeline.Span.BYTECODE_CHECK, phases.bytecode());
        EvaluationTimeline.span(id, EvaluationTimeline.Span.SIMULATION, phases.simulation());
        EvaluationTimeline.span(id, EvaluationTimeline.Span.CHILD_ROUND_TRIP, phases.roundTrip());
        return new EvaluationResult(request.evaluationId(), request.candidateId(), request.islandId(), request.purpose(),
                outcome.status(), outcome.score(), outcome.metrics(), outcome.feedback(), outcome.split().name(),
                outcome.elapsedMillis(), name, Optional.of(outcome.isolation()));
    }

    @Override
    public int slots() {
        return pool.slots();
    }

    @Override
    public String isolation() {
        return "child-jvm, " + pool.isolation();
    }

    @Override
    public long sandboxRestarts() {
        return pool.restarts();
    }

    @Override
    public void close() {
        pool.close();
    }
}
