package io.galapagos.deploy.bench;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompiledCandidate;
import io.galapagos.simulators.llmsql.TableReorderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One TRAIN evaluation of the llm-sql seed: GGR on the full beer.csv (28,479 rows) plus the prefix-hit metric. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LlmSqlBenchmark {

    /** The published ADRS data; relative to the working directory. */
    @Param("../shared/adrs-data")
    public String dataDir;

    private Evaluator<TableReorderer> evaluator;
    private CompiledCandidate<TableReorderer> seed;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        Task<TableReorderer> task = (Task<TableReorderer>) TaskRegistry.load().require("llm-sql");
        evaluator = task.evaluator(DataSource.directory(Path.of(dataDir)));
        seed = new CandidateCompiler().compile(task.initialProgram().source(), task.candidateType());
    }

    @Benchmark
    public EvaluationReport trainEvaluationOfTheSeed() {
        EvaluationReport report = evaluator.evaluate(seed, Split.TRAIN);
        if (!report.succeeded()) {
            throw new IllegalStateException("the seed failed: " + report.feedback());
        }
        return report;
    }
}
