package io.galapagos.deploy;

import com.typesafe.config.ConfigFactory;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.sandbox.SandboxPool;
import io.galapagos.worker.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code galapagos bench mutations}: how many of the offline engine's children fail, per task and by
 * status, evaluated through the sandbox on the synthetic workloads.
 */
@Command(name = "mutations", mixinStandardHelpOptions = true,
        description = "Failure rates of the offline engine's children per task, by status (sandbox, synthetic data).")
public final class MutationBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--task", paramLabel = "ID", description = "Default: every built-in task.")
    private String taskId;

    @Option(names = "--children", defaultValue = "300", description = "Children per task. Default: ${DEFAULT-VALUE}.")
    private int children;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every choice. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--split", defaultValue = "smoke", paramLabel = "SPLIT",
            description = "Split the children run on (after SMOKE). Default: ${DEFAULT-VALUE}.")
    private String splitName;

    @Option(names = "--slots", defaultValue = "2", description = "Sandbox children evaluating at once. Default: ${DEFAULT-VALUE}.")
    private int slots;

    @Option(names = "--in-process", description = "Check, compile and evaluate in this JVM instead of the sandbox"
            + " (faster; the offline engine's children are trusted).")
    private boolean inProcess;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Per child with --in-process (the sandbox uses its calibrated deadlines). Default: ${DEFAULT-VALUE}.")
    private int timeoutSeconds;

    @Option(names = "--examples", description = "Print up to three failures of each status per task, with the mutation and the feedback.")
    private boolean examples;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (children < 1 || slots < 1 || timeoutSeconds < 1) {
            return usage("--children, --slots and --timeout must be positive");
        }
        Split split;
        try {
            split = Split.parse(splitName);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        TaskRegistry registry = TaskRegistry.load();
        List<Task<?>> tasks = new ArrayList<>();
        if (taskId != null) {
            Optional<Task<?>> found = registry.find(taskId);
            if (found.isEmpty()) {
                return usage(EvaluateCommand.unknownTask(taskId));
            }
            tasks.add(found.get());
        } else {
            tasks.addAll(registry.all());
        }
        List<Split> cascade = split == Split.SMOKE ? List.of(Split.SMOKE) : List.of(Split.SMOKE, split);
        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.load()).withSlots(slots);
        out.printf(Locale.ROOT, "%d children per task from the initial program and its OK descendants, seed %d,"
                + " split %s, synthetic data, %s%n", children, seed, split.label(), inProcess ? "in process" : "sandbox");
        out.printf(Locale.ROOT, "%-20s %6s %5s %5s %5s %5s %5s %5s %5s %6s %7s%n", "task", "OK", "COMP", "REJ", "RUN",
                "VIOL", "TIME", "OTHER", "NONE", "failed", "rate");
        out.flush();
        MutationBench.Tally worst = null;
        try (SandboxPool pool = inProcess ? null : SandboxPool.start(settings)) {
            MutationBench bench = new MutationBench(inProcess
                    ? MutationBench.inProcess(DataSource.synthetic(), cascade, Duration.ofSeconds(timeoutSeconds),
                            settings.maxSourceBytes())
                    : MutationBench.sandbox(pool, DataSource.synthetic(), cascade));
            for (Task<?> task : tasks) {
                MutationBench.Tally t = bench.run(task, children, seed);
                out.printf(Locale.ROOT, "%-20s %6d %5d %5d %5d %5d %5d %5d %5d %6d %6.1f%%%n", t.taskId(),
                        t.count(MutationBench.Outcome.OK), t.count(MutationBench.Outcome.COMPILE_ERROR),
                        t.count(MutationBench.Outcome.REJECTED), t.count(MutationBench.Outcome.RUNTIME_ERROR),
                        t.count(MutationBench.Outcome.CONSTRAINT_VIOLATION), t.count(MutationBench.Outcome.TIMEOUT),
                        t.count(MutationBench.Outcome.OTHER_FAILURE), t.count(MutationBench.Outcome.NO_CHILD),
                        t.failed(), 100 * t.failureRate());
                if (examples) {
                    for (MutationBench.Example e : t.examples()) {
                        out.printf("    %s after '%s':%n        %s%n", e.outcome(), e.mutation(),
                                e.feedback().strip().replace("\n", "\n        "));
                    }
                }
                out.flush();
                if (worst == null || t.failureRate() > worst.failureRate()) {
                    worst = t;
                }
            }
        }
        out.printf(Locale.ROOT, "worst: %s, %.1f%% of children failed (OK = scored; NONE = no child proposed)%n",
                worst.taskId(), 100 * worst.failureRate());
        out.flush();
        return 0;
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("galapagos bench mutations: " + message);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }
}
