package io.galapagos.simulators.noop;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A task whose evaluation costs next to nothing, for measuring the engine itself ({@code galapagos
 * bench engine}): the score is how close a candidate's number comes to {@link #TARGET}.
 */
public final class NoopTask implements Task<NoopCandidate> {

    public static final String ID = "noop";
    public static final double TARGET = 100.0;

    static final String INITIAL = String.join("\n",
            "public class Constant implements io.galapagos.simulators.noop.NoopCandidate {",
            "    // EVOLVE-BLOCK-START",
            "    public double value() {",
            "        return 2.0;",
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
        return "No-op benchmark task";
    }

    @Override
    public String summary() {
        return "a number to bring close to " + TARGET + "; measures the engine, not a simulator";
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
        return List.of(new Baseline(Baseline.INITIAL, "returns 2", INITIAL));
    }

    @Override
    public String featureMetric() {
        return "value";
    }

    @Override
    public Evaluator<NoopCandidate> evaluator(DataSource source) {
        return new Evaluator<>() {
            @Override
            public EvaluationReport evaluate(Supplier<? extends NoopCandidate> candidates, Split split) {
                double value;
                try {
                    value = candidates.get().value();
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR, CandidateFailures.describe(e));
                }
                if (!Double.isFinite(value)) {
                    return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                            "value() returned " + value + "; it must be a finite number");
                }
                double score = -Math.abs(value - TARGET);
                return new EvaluationReport(EvaluationStatus.OK, score, Map.of("value", value),
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
