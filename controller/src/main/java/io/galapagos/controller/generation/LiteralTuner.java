package io.galapagos.controller.generation;

import io.galapagos.protocol.EvolveBlocks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers an island's tuning proposals: the next point of the episode's {@link LiteralSearch} over the
 * numeric literals of the tuned program ({@link TunableLiterals}), as a child program. Literal {@code i}
 * is {@code v_i + x_i * s_i} at search coordinates {@code x}, where {@code s_i} is its first step (the
 * relative step times its value; at least 1 for an integer), so one unit moves every literal alike.
 */
public final class LiteralTuner {

    /** The generator name of tuning candidates in the journal and the history. */
    public static final String GENERATOR = "tune";

    private LiteralTuner() {
    }

    /**
     * The child for {@code request} (whose parent is the tuned program), or a failure that ends the
     * episode: the search converged, tried enough points, or the program has no literal to tune.
     */
    public static Proposal propose(ProposalRequest request, SourceLanguage language) {
        TuningStep tuning = request.tuning().orElseThrow();
        Program target = request.parent();
        TunableLiterals literals;
        try {
            literals = TunableLiterals.of(target.code(), language, tuning.maxLiterals());
        } catch (EvolveBlocks.MalformedException e) {
            return Proposal.Failed.call("tuning ended: " + e.getMessage(), GENERATOR, Usage.NONE);
        }
        List<TunableLiterals.Literal> found = literals.literals();
        double[] steps = new double[found.size()];
        for (int i = 0; i < steps.length; i++) {
            NumericLiteral number = found.get(i).number();
            double step = tuning.step() * (number.value() == 0 ? 1 : Math.abs(number.value()));
            steps[i] = number.integral() ? Math.max(1, Math.round(step)) : step;
        }
        Map<String, List<Double>> valuesOf = new HashMap<>();
        LiteralSearch.Next<String> next = LiteralSearch.next(found.size(), x -> {
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                values.add(found.get(i).number().value() + x[i] * steps[i]);
            }
            String code = literals.with(values);
            valuesOf.putIfAbsent(code, values);
            return code;
        }, target.score(), tuning.scores(), tuning.maxEvaluations());
        if (next instanceof LiteralSearch.Done<String> done) {
            return Proposal.Failed.call("tuning ended: " + done.reason(), GENERATOR, Usage.NONE);
        }
        String code = ((LiteralSearch.Evaluate<String>) next).point();
        return new Proposal.Code(code, GENERATOR, "tuning point " + (tuning.scores().size() + 1) + " of "
                + target.candidateId() + ": " + changes(found, valuesOf.get(code)),
                Usage.NONE);
    }

    /** The literals that changed, e.g. {@code 2 -> 3, 1e-9 -> 1.25e-9}. */
    private static String changes(List<TunableLiterals.Literal> literals, List<Double> values) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < literals.size(); i++) {
            String written = TunableLiterals.written(literals.get(i), values.get(i));
            if (!written.equals(literals.get(i).text())) {
                changed.add(literals.get(i).text() + " -> " + written);
            }
        }
        return changed.isEmpty() ? "no literal changed" : String.join(", ", changed);
    }
}
