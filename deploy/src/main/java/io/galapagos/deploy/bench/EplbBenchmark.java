package io.galapagos.deploy.bench;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompiledCandidate;
import io.galapagos.simulators.eplb.ExpertPlacer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** One TRAIN evaluation of the eplb seed: the hierarchical DeepSeek EPLB on 20 windows of the synthetic 58-layer workload, placement checks and balancedness. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EplbBenchmark {

    private Evaluator<ExpertPlacer> evaluator;
    private CompiledCandidate<ExpertPlacer> seed;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        Task<ExpertPlacer> task = (Task<ExpertPlacer>) TaskRegistry.load().require("eplb");
        evaluator = task.evaluator(DataSource.synthetic());
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
