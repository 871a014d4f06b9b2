package io.galapagos.controller.report;

import io.galapagos.controller.generation.CostTracker;
import io.galapagos.controller.generation.PromptVariant;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The evaluated candidates a {@link RunHistory.Reader}'s history counts rather than lists, as the outputs and
 * the dashboard count them: how many, by status, isolation and island, the tokens and dollars per model, what
 * each generator's and prompt variant's children earned, and each island's best-so-far steps. They are the
 * first {@code evaluated} in the order the reader handed them out; {@code held} are those of them the history
 * still lists (the seeds, the bests, the front and the top scores), which its own walks must not count again.
 */
public record EvaluatedBefore(long evaluated, Map<String, Long> statuses, Map<String, Long> isolations, long unjailed,
                              Map<String, CostTracker.ModelTotals> spending, Map<String, RunHistory.Earned> earned,
                              Map<String, RunHistory.Earned> earnedByVariant, Map<String, Long> perIsland,
                              RunHistory.Progress progress, Set<String> held) {

    public static final EvaluatedBefore NONE = new EvaluatedBefore(0, Map.of(), Map.of(), 0, Map.of(), Map.of(),
            Map.of(), Map.of(), RunHistory.Progress.NONE, Set.of());

    /** Whether {@code candidateId} is counted here and listed by the history too. */
    boolean counts(String candidateId) {
        return held.contains(candidateId);
    }

    /** The totals a reader adds candidates to, one at a time, in the order they were evaluated. */
    static final class Tally {

        private long evaluated;
        private final Map<String, Long> statuses = new TreeMap<>();
        private final Map<String, Long> isolations = new TreeMap<>();
        private long unjailed;
        private final Map<String, CostTracker.ModelTotals> spending = new TreeMap<>();
        private final Map<String, RunHistory.Earned> earned = new TreeMap<>();
        private final Map<String, RunHistory.Earned> earnedByVariant = new TreeMap<>();
        private final Map<String, Long> perIsland = new TreeMap<>();
        private final RunHistory.ProgressWalk progress = new RunHistory.ProgressWalk();
        final Set<String> held = new HashSet<>();

        /** Counts evaluated candidate {@code c}; {@code links} give its parent's score. */
        void add(RunHistory.Candidate c, CandidateLinks links) {
            RunHistory.Evaluation e = c.evaluation().orElseThrow();
            evaluated++;
            statuses.merge(e.status().name(), 1L, Long::sum);
            isolations.merge(e.isolation().orElse("unknown"), 1L, Long::sum);
            if (e.isolation().map(i -> i.startsWith(RunHistory.NO_JAIL)).orElse(false)) {
                unjailed++;
            }
            RunHistory.charge(spending, c.generator(), c.usage());
            RunHistory.earnedBy(c, links).ifPresent(gain -> {
                earned.merge(c.generator(), gain, RunHistory.Earned::plus);
                c.variant().map(PromptVariant::key).ifPresent(v -> earnedByVariant.merge(v, gain, RunHistory.Earned::plus));
            });
            perIsland.merge(c.island(), 1L, Long::sum);
            progress.add(c);
        }

        EvaluatedBefore snapshot() {
            if (evaluated == 0) {
                return NONE;
            }
            return new EvaluatedBefore(evaluated, copy(statuses), copy(isolations), unjailed, copy(spending),
                    copy(earned), copy(earnedByVariant), copy(perIsland), progress.snapshot(), Set.copyOf(held));
        }

        private static <V> Map<String, V> copy(Map<String, V> map) {
            return Collections.unmodifiableMap(new TreeMap<>(map));
        }
    }

}
