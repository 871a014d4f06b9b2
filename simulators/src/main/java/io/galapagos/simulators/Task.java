package io.galapagos.simulators;

import java.util.List;
import java.util.Optional;

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

    /** The shipped candidates; the first is the initial program, named {@link Baseline#INITIAL}. */
    List<Baseline> baselines();

    /** The task metric used as a MAP-Elites feature dimension next to code length. */
    String featureMetric();

    /** Loads (or generates) the workloads; throws {@link WorkloadException} on missing or bad data. */
    Evaluator<C> evaluator(DataSource source);

    default Baseline initialProgram() {
        return baselines().get(0);
    }

    default Optional<Baseline> baseline(String name) {
        return baselines().stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
