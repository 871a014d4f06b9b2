package io.galapagos.deploy.bench;

import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.noop.NoopTask;
import io.galapagos.worker.CandidateEvaluator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The no-op evaluation: reads the candidate's number from its source, compiles and runs nothing. */
public final class InstantEvaluator implements CandidateEvaluator {
    private static final Pattern RETURN = Pattern.compile("return\\s+([-0-9.eE]+)\\s*;");
    private final int slots;

    public InstantEvaluator(int slots) {
        this.slots = slots;
    }

    @Override
    public CompletionStage<EvaluationResult> evaluate(EvaluationRequest request) {
        Matcher m = RETURN.matcher(request.source());
        if (!m.find()) {
            return CompletableFuture.completedFuture(EvaluationResult.failure(request,
                    EvaluationStatus.COMPILE_ERROR, "no return statement", 0, "instant"));
        }
        double value = Double.parseDouble(m.group(1));
        return CompletableFuture.completedFuture(new EvaluationResult(request.evaluationId(), request.candidateId(),
                request.islandId(), request.purpose(), EvaluationStatus.OK, -Math.abs(value - NoopTask.TARGET),
                Map.of("value", value), "", request.cascade().get(request.cascade().size() - 1), 0, "instant",
                Optional.of(isolation())));
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public String isolation() {
        return "none";
    }
}
