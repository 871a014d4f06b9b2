package io.galapagos.deploy.bench;

import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.txn.OfflineScheduler;
import io.galapagos.simulators.txn.TxnOfflineTask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** One TRAIN evaluation of the transaction scheduling (offline) seed on the published data. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TxnOfflineBenchmark {

    /** The published ADRS data; the default fits a checkout next to ../shared. */
    @Param("../shared/adrs-data")
    public String dataDir;

    private SeedEvaluation<OfflineScheduler> seed;

    @Setup
    public void setUp() {
        seed = SeedEvaluation.of(new TxnOfflineTask(), dataDir);
    }

    @Benchmark
    public EvaluationReport trainEvaluationOfTheSeed() {
        return seed.train();
    }
}
