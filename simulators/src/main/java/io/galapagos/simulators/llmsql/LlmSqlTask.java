package io.galapagos.simulators.llmsql;

import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Resources;
import io.galapagos.simulators.Task;

import java.util.List;
import java.util.Optional;

/** LLM-SQL (MLSys'25): reorder a table's rows and cells so an LLM's prefix cache reuses the most characters. */
public final class LlmSqlTask implements Task<TableReorderer> {

    public static final String ID = "llm-sql";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "LLM-SQL prefix-cache reordering";
    }

    @Override
    public String summary() {
        return "order a table's rows and each row's cells to maximise LLM prefix-cache hits (MLSys'25, GGR)";
    }

    @Override
    public String problemStatement() {
        return Resources.text(LlmSqlTask.class, "problem.md");
    }

    @Override
    public String candidateApi() {
        return Resources.text(LlmSqlTask.class, "candidate-api.txt");
    }

    @Override
    public Class<TableReorderer> candidateType() {
        return TableReorderer.class;
    }

    @Override
    public List<Baseline> baselines() {
        return List.of(
                candidate(Baseline.INITIAL, "Greedy Group Recursion (GGR), the paper's state of the art and the published seed"),
                candidate("original-order", "the table as it is: listed merge order, rows and columns unchanged"));
    }

    private static Baseline candidate(String name, String description) {
        return new Baseline(name, description, Resources.text(LlmSqlTask.class, "candidates/" + name + ".java"));
    }

    @Override
    public Optional<String> timingTerm() {
        return Optional.of("runtimeSeconds, 0.05 * (12 - min(12, s)) / 12 of the score: the reorder call's thread CPU time, median of 3 calls");
    }

    /** Measured: the same program scored 0.71973 to 0.72103 over 10 evaluations, through its runtime term. */
    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public String featureMetric() {
        return "hitRate";
    }

    @Override
    public Evaluator<TableReorderer> evaluator(DataSource source) {
        return LlmSqlEvaluator.load(source);
    }
}
