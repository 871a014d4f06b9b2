package io.galapagos.deploy;

import com.typesafe.config.ConfigFactory;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.simulators.compile.CompiledCandidate;
import io.galapagos.worker.sandbox.SandboxOutcome;
import io.galapagos.worker.sandbox.SandboxPool;
import io.galapagos.worker.sandbox.SandboxRequest;
import io.galapagos.worker.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/**
 * {@code galapagos bench sandbox}: what one evaluation costs in a warm sandbox child against the same
 * evaluation in this JVM, and how long a child takes to start.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Per-evaluation overhead of a warm sandbox pool against in-process evaluation, and a child's cold start.")
public final class SandboxBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--task", paramLabel = "ID", description = "Default: the first task on the class path.")
    private String taskId;

    @Option(names = "--baseline", defaultValue = Baseline.INITIAL, paramLabel = "NAME", description = "Default: ${DEFAULT-VALUE}.")
    private String baselineName;

    @Option(names = "--split", defaultValue = "smoke", paramLabel = "SPLIT", description = "Default: ${DEFAULT-VALUE}.")
    private String splitName;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Published data; default: synthetic workloads.")
    private Path dataDir;

    @Option(names = "--evaluations", defaultValue = "30", description = "Timed evaluations per measurement. Default: ${DEFAULT-VALUE}.")
    private int evaluations;

    @Option(names = "--cold-starts", defaultValue = "3", description = "Children started to time a cold start. Default: ${DEFAULT-VALUE}.")
    private int coldStarts;

    @Override
    public Integer call() throws IOException, CompilationException {
        PrintWriter out = spec.commandLine().getOut();
        TaskRegistry tasks = TaskRegistry.load();
        if (tasks.all().isEmpty()) {
            return usage("no tasks on the class path");
        }
        Optional<Task<?>> found = taskId == null ? Optional.of(tasks.all().get(0)) : tasks.find(taskId);
        if (found.isEmpty()) {
            return usage(EvaluateCommand.unknownTask(taskId));
        }
        Task<?> task = found.get();
        Optional<Baseline> baseline = task.baseline(baselineName);
        if (baseline.isEmpty()) {
            return usage("task " + task.id() + " has no baseline '" + baselineName + "'");
        }
        Split split;
        try {
            split = Split.parse(splitName);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (evaluations < 1 || coldStarts < 1) {
            return usage("--evaluations and --cold-starts must be positive");
        }
        DataSource data = dataDir == null ? DataSource.synthetic() : DataSource.directory(dataDir);
        String source = baseline.get().source();
        int warmUp = Math.max(5, evaluations / 5);

        Evaluator<?> evaluator = task.evaluator(data);
        CandidateCompiler compiler = new CandidateCompiler();
        CompiledCandidate<?> compiled = compiler.compile(source, task.candidateType());
        List<Double> inProcess = time(warmUp, evaluations, i -> evaluateInProcess(evaluator, compiled, split));
        List<Double> inProcessFresh = time(warmUp, evaluations, i -> {
            try {
                return evaluateInProcess(evaluator, compiler.compile(variant(source, i), task.candidateType()), split);
            } catch (CompilationException e) {
                throw new IllegalStateException(e);
            }
        });

        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.load()).withSlots(1);
        List<Double> pooled;
        List<Double> pooledFresh;
        String isolation;
        try (SandboxPool pool = SandboxPool.start(settings)) {
            isolation = pool.isolation();
            pooled = time(warmUp, evaluations, i -> evaluateInPool(pool, task, source, split, data));
            pooledFresh = time(warmUp, evaluations, i -> evaluateInPool(pool, task, variant(source, 1_000_000 + i), split, data));
        }
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < coldStarts; i++) {
            cold.add(SandboxPool.measureColdStart(settings).toNanos() / 1e6);
        }

        out.printf(Locale.ROOT, "task %s, baseline %s, split %s, %s; isolation %s; %d timed evaluations after %d warm-up%n",
                task.id(), baselineName, split.label(), data.describe(), isolation, evaluations, warmUp);
        out.printf(Locale.ROOT, "%-44s %10s %10s%n", "milliseconds per evaluation", "median", "p90");
        line(out, "in-process, compiled once", inProcess);
        line(out, "sandbox pool, same source (compiled once)", pooled);
        line(out, "in-process, new source (compile + evaluate)", inProcessFresh);
        line(out, "sandbox pool, new source", pooledFresh);
        out.printf(Locale.ROOT, "%-44s %10.2f%n", "warm overhead, same source", median(pooled) - median(inProcess));
        out.printf(Locale.ROOT, "%-44s %10.2f%n", "warm overhead, new source", median(pooledFresh) - median(inProcessFresh));
        line(out, "cold start of a child (spawn to ready)", cold);
        out.flush();
        return 0;
    }

    /** The same candidate with a different text, so that no cache can reuse an earlier compilation. */
    private static String variant(String source, int i) {
        return source + "\n// variant " + i + "\n";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean evaluateInProcess(Evaluator evaluator, CompiledCandidate candidate, Split split) {
        return evaluator.evaluate(candidate, split).succeeded();
    }

    private static boolean evaluateInPool(SandboxPool pool, Task<?> task, String source, Split split, DataSource data) {
        SandboxOutcome outcome = pool.evaluate(new SandboxRequest("bench", task.id(), source, Optional.empty(),
                List.of(split), data, false)).toCompletableFuture()
                .orTimeout(pool.longestEvaluation().toMillis(), TimeUnit.MILLISECONDS).join();
        if (!outcome.succeeded()) {
            throw new IllegalStateException("the benchmark candidate failed in the sandbox: " + outcome.feedback());
        }
        return true;
    }

    private interface Evaluation {
        boolean run(int index);
    }

    private static List<Double> time(int warmUp, int timed, Evaluation evaluation) {
        for (int i = 0; i < warmUp; i++) {
            evaluation.run(i);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < timed; i++) {
            long started = System.nanoTime();
            boolean ok = evaluation.run(warmUp + i);
            millis.add((System.nanoTime() - started) / 1e6);
            if (!ok) {
                throw new IllegalStateException("the benchmark candidate did not evaluate OK");
            }
        }
        return millis;
    }

    private static void line(PrintWriter out, String name, List<Double> millis) {
        out.printf(Locale.ROOT, "%-44s %10.2f %10.2f%n", name, median(millis), percentile(millis, 0.9));
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("galapagos bench sandbox: " + message);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }
}
