package io.galapagos.deploy.faults;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.noop.NoopCandidate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The no-op task with a pause per split, so that a fault test can kill a node while evaluations are
 * running: the pause is the data seed in milliseconds. In a sandbox started with
 * {@code -D}{@value #HANG_PROPERTY}{@code =true} every evaluation hangs instead (alive, never answering).
 */
public final class PausingTask implements Task<NoopCandidate> {

    public static final String ID = "pausing-noop";
    public static final String HANG_PROPERTY = "galapagos.test.hang-evaluations";
    public static final double TARGET = 100.0;

    static final String INITIAL = String.join("\n",
            "public class Constant implements io.galapagos.simulators.noop.NoopCandidate {",
            "    // EVOLVE-BLOCK-START",
            "    public double value() {",
            "        return 1.0;",
            "    }",
            "    // EVOLVE-BLOCK-END",
            "}",
            "");

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
        return "a number to bring close to " + TARGET + ", each split pausing data-seed milliseconds";
    }

    @Override
    public String problemStatement() {
        return "Return a number as close to " + TARGET + " as possible. Score: -|value - " + TARGET + "|.";
    }

    @Override
    public String candidateApi() {
        return "package io.galapagos.simulators.noop;\n\npublic interface NoopCandidate {\n    double value();\n}\n";
    }

    @Override
    public Class<NoopCandidate> candidateType() {
        return NoopCandidate.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL, "returns 1", INITIAL));
    }

    @Override
    public String featureMetric() {
        return "value";
    }

    @Override
    public Evaluator<NoopCandidate> evaluator(DataSource source) {
        long pauseMillis = source instanceof DataSource.Synthetic ? ((DataSource.Synthetic) source).seed() : 0;
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
                double value;
                try {
                    value = candidates.get().value();
                } catch (RuntimeException e) {
                    return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, String.valueOf(e));
                }
                if (!Double.isFinite(value)) {
                    return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION, "value is " + value);
                }
                return new EvaluationReport(EvaluationStatus.OK, -Math.abs(value - TARGET), Map.of("value", value),
                        "value " + value + " is " + Math.abs(value - TARGET) + " away from " + TARGET, List.of(), List.of());
            }

            @Override
            public int runCount(Split split) {
                return 1;
            }

            @Override
            public DataSource dataSource() {
                return source;
            }
        };
    }
}
