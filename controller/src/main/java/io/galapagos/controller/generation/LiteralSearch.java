package io.galapagos.controller.generation;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Nelder-Mead search (commons-math's {@link SimplexOptimizer}) driven by results that arrive one at a
 * time, long after the point was asked for, possibly in another JVM after a crash.
 *
 * <p>Nothing of the optimiser is kept between points. Each call runs it again from the start point,
 * answering its objective from the results recorded so far, until it asks for a point without one: that
 * is the next point to evaluate. The optimiser has no randomness, so the same results give the same
 * points, and a recovered island that replays its journal proposes exactly what it would have.
 * Points are keyed by what they become ({@code K}, e.g. the program text): the search works in a
 * continuous space, but rounded integer literals map many points to one program, evaluated only once.
 */
public final class LiteralSearch {

    /** The score recorded for a point whose evaluation failed: worse than any result, yet finite. */
    public static final double FAILED = -Double.MAX_VALUE;

    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final double ABSOLUTE_TOLERANCE = 1e-9;

    private LiteralSearch() {
    }

    /** What the search wants next. */
    public sealed interface Next<K> permits Evaluate, Done {
    }

    /** Evaluate this point; its score is the next of the recorded results. */
    public record Evaluate<K>(K point) implements Next<K> {
    }

    /** The search is over. */
    public record Done<K>(String reason) implements Next<K> {
    }

    /** The objective reached a point without a recorded result: the replay stops there. */
    private static final class Unknown extends RuntimeException {
        final Object point;

        Unknown(Object point) {
            super(null, null, false, false);
            this.point = point;
        }
    }

    /**
     * The next point of a search in {@code dimensions} coordinates that starts at the origin, scored
     * {@code startScore}, and has recorded {@code scores} (higher is better) for the new points it asked
     * for, in that order.
     *
     * @param point maps coordinates to what is evaluated; equal keys are one point
     */
    @SuppressWarnings("unchecked")
    public static <K> Next<K> next(int dimensions, Function<double[], K> point, double startScore, List<Double> scores,
                                   int maxEvaluations) {
        if (dimensions < 1) {
            return new Done<>("no literal to tune");
        }
        if (scores.size() >= maxEvaluations) {
            return new Done<>("tried " + scores.size() + " points");
        }
        Map<K, Double> known = new HashMap<>();
        known.put(point.apply(new double[dimensions]), finite(startScore));
        int[] used = {0};
        Function<double[], Double> objective = x -> {
            K key = point.apply(x);
            Double value = known.get(key);
            if (value == null) {
                if (used[0] >= scores.size()) {
                    throw new Unknown(key);
                }
                value = finite(scores.get(used[0]++));
                known.put(key, value);
            }
            return value;
        };
        // objective calls include points answered from the cache: bounded so that a search circling on
        // rounded integers ends instead of asking for nothing new
        int calls = 50 * (maxEvaluations + dimensions + 1);
        try {
            new SimplexOptimizer(RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE).optimize(new MaxEval(calls),
                    new ObjectiveFunction(objective::apply), GoalType.MAXIMIZE, new InitialGuess(new double[dimensions]),
                    new NelderMeadSimplex(dimensions, 1.0));
            return new Done<>("converged after " + scores.size() + " points");
        } catch (Unknown unknown) {
            return new Evaluate<>((K) unknown.point);
        } catch (TooManyEvaluationsException e) {
            return new Done<>("no new point in " + calls + " steps after " + scores.size() + " points");
        }
    }

    private static double finite(double score) {
        return Double.isFinite(score) ? score : FAILED;
    }
}
