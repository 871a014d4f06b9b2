package io.galapagos.worker.sandbox;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;

import java.util.List;
import java.util.Optional;

/**
 * One candidate to evaluate.
 *
 * @param candidateId  for logs and messages; the pool does not interpret it
 * @param taskId       a task known to {@link io.galapagos.simulators.TaskRegistry}
 * @param source       the candidate's Java compilation unit
 * @param parentSource when present, everything outside the EVOLVE-BLOCK must equal the parent's
 * @param cascade      splits to run in order, stopping at the first that is not {@code OK}, e.g. [SMOKE, TRAIN]
 * @param dataSource   where the task's workloads come from
 * @param details      keep one entry per simulation run in {@link SandboxOutcome#runs()}
 */
public record SandboxRequest(
        String candidateId,
        String taskId,
        String source,
        Optional<String> parentSource,
        List<Split> cascade,
        DataSource dataSource,
        boolean details) {

    public SandboxRequest {
        cascade = List.copyOf(cascade);
        if (cascade.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one split");
        }
    }

    /** The search's usual request: smoke test first, then the workloads selection sees. */
    public static SandboxRequest smokeThenTrain(String candidateId, String taskId, String source,
                                                Optional<String> parentSource, DataSource dataSource) {
        return new SandboxRequest(candidateId, taskId, source, parentSource, List.of(Split.SMOKE, Split.TRAIN),
                dataSource, false);
    }
}
