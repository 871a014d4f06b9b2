package io.galapagos.deploy.bench;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;

import java.nio.file.Path;

/** One task's seed, compiled, and its evaluator on a data directory: what a TRAIN evaluation costs. */
final class SeedEvaluation<C> {

    private final Evaluator<C> evaluator;
    private final CompiledCandidate<C> seed;

    private SeedEvaluation(Evaluator<C> evaluator, CompiledCandidate<C> seed) {
        this.evaluator = evaluator;
        this.seed = seed;
    }

    static <C> SeedEvaluation<C> of(Task<C> task, String dataDir) {
        try {
            CompiledCandidate<C> seed = new CandidateCompiler().compile(task.initialProgram().source(), task.candidateType());
            return new SeedEvaluation<>(task.evaluator(DataSource.directory(Path.of(dataDir))), seed);
        } catch (CompilationException e) {
            throw new IllegalStateException("the seed of " + task.id() + " does not compile: " + e.getMessage(), e);
        }
    }

    /** One TRAIN evaluation; fails loudly if the seed does not evaluate. */
    EvaluationReport train() {
        EvaluationReport report = evaluator.evaluate(seed, Split.TRAIN);
        if (!report.succeeded()) {
            throw new IllegalStateException("seed evaluation failed: " + report.feedback());
        }
        return report;
    }
}
