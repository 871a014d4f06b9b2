package io.galapagos.simulators;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A systems task: what the search optimises. Tasks are found through {@link java.util.ServiceLoader}
 * (see {@link TaskRegistry}), so a user's jar on the class path can add tasks.
 *
 * @param <C> the interface a candidate's public class implements
 */
public interface Task<C> {

    /** Stable id used on the command line and in the journal, e.g. {@code cant-be-late}. */
    String id();

    /** Human title. */
    String title();

    /** One line for {@code galapagos tasks}. */
    String summary();

    /** The problem statement shown to a model (markdown): the goal, the rules, the scoring. */
    String problemStatement();

    /** Java source of the candidate interface and the types it uses, as shown to a model. */
    String candidateApi();

    /** The interface a candidate implements. */
    Class<C> candidateType();

    /**
     * Exactly the non-JDK types candidate code may reference: the sandbox's class loader resolves these
     * (and allow-listed JDK members) and nothing else of the task. The default is
     * {@link CandidateApiTypes#derive}: {@link #candidateType()} and every non-JDK type reachable from it
     * through public signatures, supertypes, generic arguments and array components. Every type in it is
     * visible to a hostile candidate in full, so none may hold simulator state, held-out data or ground
     * truth, or have a public member that reveals them; narrow the API rather than list such a type.
     */
    default Set<Class<?>> candidateApiTypes() {
        return CandidateApiTypes.derive(candidateType());
    }

    /**
     * Whether every simulation run must see a fresh copy of the candidate's classes, so that static
     * fields carry nothing from one run to the next: true where the original evaluator starts a new
     * process per run (Can't-Be-Late: one simulator subprocess per trace), so that a candidate cannot
     * learn a trace in one run and exploit it in the next. False (the default) means one class loader
     * per evaluation, with a fresh instance per run, as the original evaluators do in one process.
     */
    default boolean isolatesRuns() {
        return false;
    }

    /**
     * Which score term depends on how fast the candidate runs, and how it is measured, in one line for
     * {@code galapagos tasks}; empty (the default) when the score depends only on the candidate's output.
     * A timing-based score varies a little between evaluations of the same program.
     */
    default Optional<String> timingTerm() {
        return Optional.empty();
    }

    /** Whether part of the score is a measured time (see {@link #timingTerm()}). */
    default boolean timingBased() {
        return timingTerm().isPresent();
    }

    /**
     * Whether the same program may score differently from one evaluation to the next (a measured time in
     * the score, a random workload per evaluation): an island then re-evaluates a would-be best and decides
     * on the mean ({@code galapagos.islands.noise}). Default: deterministic.
     */
    default boolean stochastic() {
        return false;
    }

    /** The shipped candidates; the first is the initial program, named {@link Baseline#INITIAL}. */
    List<Baseline> baselines();

    /** The task metric used as a MAP-Elites feature dimension next to code length. */
    String featureMetric();

    /** Loads (or generates) the workloads; throws {@link WorkloadException} on missing or bad data. */
    Evaluator<C> evaluator(DataSource source);

    /**
     * The metrics that count broken rules of a program that still got a score (deadline misses); the
     * run's summary and {@code galapagos status} show them next to the score. Default: none (a task
     * whose rules make a program fail outright).
     */
    default List<ConstraintMetric> constraintMetrics() {
        return List.of();
    }

    /**
     * What a Pareto search trades off ({@code galapagos.islands.objectives = pareto}): metrics with their
     * directions, or the score. Default: the score alone, so that a Pareto search ranks as a scalar one.
     */
    default List<Objective> objectives() {
        return List.of(Objective.SCORE);
    }

    default Baseline initialProgram() {
        return baselines().get(0);
    }

    default Optional<Baseline> baseline(String name) {
        return baselines().stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
