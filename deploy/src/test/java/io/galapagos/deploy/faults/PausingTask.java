package io.galapagos.deploy.faults;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.noop.NoopCandidate;
import io.galapagos.simulators.noop.NoopTask;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The no-op task with a pause per split, so that a fault test can kill a node while evaluations are
 * running: the pause is the data seed in milliseconds. In a sandbox started with
 * {@code -D}{@value #HANG_PROPERTY}{@code =true} every evaluation hangs instead (alive, never answering).
 * Everything else, the score included, is the no-op task's.
 */
public final class PausingTask implements Task<NoopCandidate> {

    public static final String ID = "pausing-noop";
    public static final String HANG_PROPERTY = "galapagos.test.hang-evaluations";

    private final NoopTask noop = new NoopTask();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "No-op task with a pause (fault test task)";
    }

    @Override
    public String summary() {
        return noop.summary() + ", each split pausing data-seed milliseconds";
    }

    @Override
    public String problemStatement() {
        return noop.problemStatement();
    }

    @Override
    public String candidateApi() {
        return noop.candidateApi();
    }

    @Override
    public Class<NoopCandidate> candidateType() {
        return noop.candidateType();
    }

    @Override
    public List<Baseline> baselines() {
        return noop.baselines();
    }

    @Override
    public String featureMetric() {
        return noop.featureMetric();
    }

    @Override
    public Evaluator<NoopCandidate> evaluator(DataSource source) {
        long pauseMillis = source instanceof DataSource.Synthetic ? ((DataSource.Synthetic) source).seed() : 0;
        Evaluator<NoopCandidate> scoring = noop.evaluator(source);
        return new Evaluator<>() {
            @Override
            public EvaluationReport evaluate(Supplier<? extends NoopCandidate> candidates, Split split) {
                if (Boolean.getBoolean(HANG_PROPERTY)) {
                    // a hung sandbox: the child stays alive and never answers
                    while (true) {
                        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                    }
                }
                // simulated work, so that a killed node has evaluations in flight
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis);
                for (long left = pauseMillis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
                }
                return scoring.evaluate(candidates, split);
            }

            @Override
            public int runCount(Split split) {
                return scoring.runCount(split);
            }

            @Override
            public DataSource dataSource() {
                return source;
            }
        };
    }
}
