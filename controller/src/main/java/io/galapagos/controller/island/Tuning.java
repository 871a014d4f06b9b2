package io.galapagos.controller.island;

import io.galapagos.controller.generation.LiteralSearch;
import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.TuningStep;
import io.galapagos.protocol.CborSerializable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An island's tuning episodes, part of its state and so rebuilt from its journal: the episode running, if
 * any, and what decides when the next one starts. An episode tunes the numeric literals of one program:
 * one point at a time is proposed (a candidate of generator {@code tune}, a child of that program), and its
 * outcome, applied in sequence order like every other, is recorded here before the next point is chosen.
 * The optimiser itself is never kept: {@link io.galapagos.controller.generation.LiteralTuner} derives each
 * point again from the recorded scores ({@link TuningStep}), so a recovered island continues identically.
 *
 * @param episode           the episode running
 * @param baseline          the best score the last episode saw (its program's and its points'): a program
 *                          better than this is a new best worth an episode; tuning's own results never are
 * @param lastTarget        the program the last episode tuned
 * @param evaluatedAtEnd    the island's evaluated count when the last episode ended
 */
public record Tuning(Optional<Episode> episode, double baseline, Optional<String> lastTarget, long evaluatedAtEnd)
        implements CborSerializable {

    /**
     * @param target      the program tuned, as it was when the episode started
     * @param scores      the scores of its points, in proposal order ({@link LiteralSearch#FAILED} for a failure)
     * @param outstanding the sequence of the point proposed and not applied yet
     */
    public record Episode(Program target, List<Double> scores, Optional<Long> outstanding) implements CborSerializable {

        public Episode {
            scores = List.copyOf(scores);
            outstanding = outstanding == null ? Optional.empty() : outstanding;
        }
    }

    public Tuning {
        episode = episode == null ? Optional.empty() : episode;
        lastTarget = lastTarget == null ? Optional.empty() : lastTarget;
    }

    /** No episode yet: the island's first best starts one. */
    public static final Tuning IDLE = new Tuning(Optional.empty(), LiteralSearch.FAILED, Optional.empty(), 0);

    /**
     * This, with an episode started on the population's best if none is running and it is a new best (or
     * {@code every} evaluations passed since the last episode on another program).
     */
    Tuning started(Population population, long evaluated, TuningSettings settings) {
        if (!settings.enabled() || episode.isPresent()) {
            return this;
        }
        Optional<Individual> best = population.best();
        if (best.isEmpty() || lastTarget.equals(Optional.of(best.get().candidateId()))) {
            return this;
        }
        boolean newBest = best.get().score() > baseline;
        boolean due = settings.every() > 0 && evaluated - evaluatedAtEnd >= settings.every();
        if (!newBest && !due || !Double.isFinite(best.get().score())) {
            return this;
        }
        return new Tuning(Optional.of(new Episode(best.get().asProgram(), List.of(), Optional.empty())), baseline,
                Optional.of(best.get().candidateId()), evaluatedAtEnd);
    }

    /** Whether the running episode may propose its next point now (its last one has been applied). */
    boolean proposes() {
        return episode.isPresent() && episode.get().outstanding().isEmpty();
    }

    /** What the tuner needs for the next point of the running episode. */
    TuningStep step(TuningSettings settings) {
        return new TuningStep(episode.orElseThrow().scores(), settings.maxEvaluations(), settings.step(),
                settings.maxLiterals());
    }

    Tuning proposing(long sequence) {
        Episode e = episode.orElseThrow();
        return new Tuning(Optional.of(new Episode(e.target(), e.scores(), Optional.of(sequence))), baseline,
                lastTarget, evaluatedAtEnd);
    }

    /** Whether {@code sequence} is the running episode's point in flight. */
    boolean awaits(long sequence) {
        return episode.flatMap(Episode::outstanding).map(s -> s == sequence).orElse(false);
    }

    /** The point in flight scored {@code score}; the episode ends once it has tried {@code max} points. */
    Tuning scored(double score, int max, long evaluated) {
        Episode e = episode.orElseThrow();
        List<Double> scores = new ArrayList<>(e.scores());
        scores.add(Double.isFinite(score) ? score : LiteralSearch.FAILED);
        Tuning next = new Tuning(Optional.of(new Episode(e.target(), scores, Optional.empty())), baseline, lastTarget,
                evaluatedAtEnd);
        return scores.size() >= max ? next.ended(evaluated) : next;
    }

    /** The episode is over (converged, out of points, or the island stopped). */
    Tuning ended(long evaluated) {
        Episode e = episode.orElseThrow();
        double best = Math.max(baseline, e.target().score());
        for (double s : e.scores()) {
            best = Math.max(best, s);
        }
        return new Tuning(Optional.empty(), best, lastTarget, evaluated);
    }
}
