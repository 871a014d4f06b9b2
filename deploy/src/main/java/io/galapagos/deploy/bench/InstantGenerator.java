package io.galapagos.deploy.bench;

import io.galapagos.controller.generation.Proposal;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SolutionGenerator;
import io.galapagos.controller.generation.Usage;
import io.galapagos.simulators.noop.NoopTask;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

    @Override
    public CompletionStage<Proposal> propose(ProposalRequest request) {
        // the common pool named: without an executor, the JDK starts a new thread per answer on fewer than 3 cores
        return CompletableFuture.supplyAsync(() -> {
            // distinct for each sequence, in no order: a new best is as rare as in a search
            double value = (request.sequence() * 0x9E3779B97F4A7C15L >>> 11) * 0x1.0p-53 * NoopTask.TARGET;
            String code = CONSTANT.matcher(request.parent().code())
                    .replaceFirst(Matcher.quoteReplacement("return " + value + ";"));
            return new Proposal.Code(code, "instant", "constant " + value, Usage.NONE);
        }, ForkJoinPool.commonPool());
    }
}
