package io.galapagos.deploy.bench;

import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.simulators.noop.NoopTask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proposals that cost nothing to make: the no-op program with a constant no earlier proposal of the
 * island had (a new best now and then, as in a search), answered on the common pool as a generator would
 * answer from its own threads. What is left of a proposal's cost is the engine's: fingerprinting, the
 * repeat checks, the journal, dispatch.
 */
public final class InstantGenerator implements SolutionGenerator {
    private static final Pattern CONSTANT = Pattern.compile("return\\s+[-0-9.eE]+\\s*;");
    /**
     * The common pool, not named as such: {@code CompletableFuture} swaps the common pool itself (named or not)
     * for a new thread per task when the machine has fewer than 3 cores.
     */
    private static final Executor COMMON_POOL = task -> ForkJoinPool.commonPool().execute(task);

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            // distinct for each sequence, in no order: a new best is as rare as in a search
            double value = (request.sequence() * 0x9E3779B97F4A7C15L >>> 11) * 0x1.0p-53 * NoopTask.TARGET;
            String code = CONSTANT.matcher(request.parent().code())
                    .replaceFirst(Matcher.quoteReplacement("return " + value + ";"));
            return new Proposal.Code(code, "instant", "constant " + value, Usage.NONE);
        }, COMMON_POOL);
    }
}
