package io.galapagos.deploy.bench;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.cantbelate.CantBeLateTask;
import io.galapagos.simulators.cantbelate.SpotStrategy;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One TRAIN evaluation of Uniform Progress on the published single-region traces: 1080 simulation
 * runs, as the original evaluator makes them. Workloads are loaded and the candidate compiled once,
 * as in a sandbox child; what is measured is the evaluation a search pays for every candidate.
 *
 * <pre>java -cp deploy/target/galapagos.jar:deploy/target/lib/* org.openjdk.jmh.Main CantBeLate -p dataDir=../shared/adrs-data</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CantBeLateBenchmark {

    /** The published data directory (layout of {@code ../shared/adrs-data}). */
    @Param("../shared/adrs-data")
    public String dataDir;

    private Evaluator<SpotStrategy> evaluator;
    private CompiledCandidate<SpotStrategy> uniformProgress;

    @Setup
    public void loadTracesAndCompile() throws CompilationException {
        CantBeLateTask task = new CantBeLateTask();
        evaluator = task.evaluator(DataSource.directory(Path.of(dataDir)));
        if (evaluator.runCount(Split.TRAIN) != 1080) {
            throw new IllegalStateException("expected the 1080-run TRAIN grid, got " + evaluator.runCount(Split.TRAIN));
        }
        String source = task.baseline("uniform-progress").orElseThrow().source();
        uniformProgress = new CandidateCompiler().compile(source, SpotStrategy.class);
        EvaluationReport check = evaluator.evaluate(uniformProgress, Split.TRAIN);
        if (!check.succeeded()) {
            throw new IllegalStateException("Uniform Progress failed: " + check.feedback());
        }
    }

    @Benchmark
    public EvaluationReport trainEvaluationOfUniformProgress() {
        return evaluator.evaluate(uniformProgress, Split.TRAIN);
    }
}
