package io.galapagos.worker.sandbox.testtask;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.WorkloadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A small task for testing the sandbox: each tick a seeded demand from 0 to 10 appears and the
 * candidate says how much to release; the score is minus the mean absolute miss. A run may release at
 * most {@value #BUDGET_PER_TICK} per tick on average (a constraint the simulator checks itself).
 */
public final class TickerTask implements Task<Ticker> {

    public static final String ID = "ticker";
    static final int BUDGET_PER_TICK = 8;

    public static final String INITIAL = """
            import io.galapagos.worker.sandbox.testtask.Ticker;

            public class Steady implements Ticker {
                // EVOLVE-BLOCK-START
                @Override
                public Integer step(int tick) {
                    return 5;
                }
                // EVOLVE-BLOCK-END
            }
            """;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Ticker (sandbox test task)";
    }

    @Override
    public String summary() {
        return "release an amount each tick to match a seeded demand";
    }

    @Override
    public String problemStatement() {
        return "Return the amount to release at each tick, from 0 to 10.";
    }

    @Override
    public String candidateApi() {
        return "public interface Ticker { Integer step(int tick); }";
    }

    @Override
    public Class<Ticker> candidateType() {
        return Ticker.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(new Baseline(Baseline.INITIAL, "releases 5 every tick", INITIAL),
                new Baseline("zero", "never releases anything", INITIAL.replace("Steady", "Zero").replace("return 5;", "return 0;")));
    }

    @Override
    public String featureMetric() {
        return "meanMiss";
    }

    @Override
    public Evaluator<Ticker> evaluator(DataSource source) {
        long seed;
        if (source instanceof DataSource.Directory) {
            Path file = ((DataSource.Directory) source).taskDirectory(ID).resolve("seed.txt");
            try {
                seed = Long.parseLong(Files.readString(file).strip());
            } catch (IOException | NumberFormatException e) {
                throw new WorkloadException("cannot read the seed from " + file + ": " + e.getMessage(), e);
            }
        } else {
            seed = ((DataSource.Synthetic) source).seed();
        }
        return new TickerEvaluator(seed, source);
    }

    private record TickerEvaluator(long seed, DataSource dataSource) implements Evaluator<Ticker> {

        @Override
        public int runCount(Split split) {
            return switch (split) {
                case SMOKE -> 1;
                case TRAIN -> 3;
                case TEST -> 2;
            };
        }

        private static int ticks(Split split) {
            return switch (split) {
                case SMOKE -> 5;
                case TRAIN -> 20;
                case TEST -> 30;
            };
        }

        @Override
        public EvaluationReport evaluate(Supplier<? extends Ticker> candidates, Split split) {
            List<Map<String, Object>> runs = new ArrayList<>();
            double totalMiss = 0;
            int ticks = ticks(split);
            for (int run = 0; run < runCount(split); run++) {
                Random demand = new Random(seed * 31 + split.ordinal() * 1000L + run);
                int released = 0;
                double miss = 0;
                Ticker ticker;
                try {
                    ticker = candidates.get();
                } catch (RuntimeException e) {
                    return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                            "run " + run + ": constructing the candidate failed: " + CandidateFailures.describe(e));
                }
                for (int tick = 0; tick < ticks; tick++) {
                    Integer amount;
                    try {
                        amount = ticker.step(tick);
                    } catch (RuntimeException e) {
                        return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                                "run " + run + ", tick " + tick + ": step threw " + CandidateFailures.describe(e));
                    }
                    if (amount == null) {
                        return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                                "run " + run + ", tick " + tick + ": step returned null; return an amount from 0 to 10");
                    }
                    if (amount < 0 || amount > 10) {
                        return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                                "run " + run + ", tick " + tick + ": step returned " + amount
                                        + ", an illegal amount; return an amount from 0 to 10");
                    }
                    released += amount;
                    if (released > BUDGET_PER_TICK * ticks) {
                        return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                                "run " + run + ", tick " + tick + ": released " + released + " in total, over the budget of "
                                        + BUDGET_PER_TICK * ticks, List.of("budget exceeded in run " + run), runs);
                    }
                    miss += Math.abs(amount - demand.nextInt(11));
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("run", run);
                detail.put("ticks", ticks);
                detail.put("released", released);
                detail.put("meanMiss", miss / ticks);
                runs.add(detail);
                totalMiss += miss / ticks;
            }
            double meanMiss = totalMiss / runCount(split);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("meanMiss", meanMiss);
            metrics.put("runs", (double) runCount(split));
            return new EvaluationReport(EvaluationStatus.OK, -meanMiss, metrics,
                    "mean miss " + meanMiss + " over " + runCount(split) + " runs", List.of(), runs);
        }
    }
}
