package io.galapagos.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.external.ExternalEvaluator;
import io.galapagos.worker.external.ExternalSettings;
import io.galapagos.worker.external.TaskDirectory;
import io.galapagos.worker.external.TaskDirectoryException;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import io.galapagos.worker.sandbox.SandboxPool;
import io.galapagos.worker.sandbox.SandboxRequest;
import io.galapagos.worker.sandbox.SandboxSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code galapagos evaluate}: one candidate through the same sandbox the search uses. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates one candidate (a file or a shipped baseline) in the sandbox. "
                + "Exit code 0 when it evaluated OK, 3 when it failed, 2 for bad usage.")
public final class EvaluateCommand implements Callable<Integer> {

    /** Exit code of a candidate whose evaluation did not end {@code OK}. */
    public static final int EXIT_CANDIDATE_FAILED = 3;

    static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    private TaskChoice choice;

    /** A built-in task or a task folder, exactly one. */
    static final class TaskChoice {
        @Option(names = "--task", required = true, paramLabel = "ID", description = "A built-in task, e.g. cant-be-late.")
        String id;

        @Option(names = "--task-dir", required = true, paramLabel = "DIR", description = "A task folder (see README, Task directories).")
        Path dir;
    }

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Published data laid out like adrs-data; without it, the task's seeded synthetic workloads.")
    private Path dataDir;

    @Option(names = "--split", defaultValue = "train", paramLabel = "smoke|train|test",
            description = "The split to report (smoke runs first unless it is the one asked for). Default: ${DEFAULT-VALUE}.")
    private String splitName;

    @Option(names = "--details", description = "Report one entry per simulation run.")
    private boolean details;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    private boolean json;

    @Option(names = "--baseline", paramLabel = "NAME", description = "Evaluate a shipped candidate (initial, ...) instead of a file.")
    private String baseline;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Wall-clock deadline of the evaluation. Default: 300.")
    private long timeoutSeconds = 300;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The candidate's source (FILE.java for a built-in task).")
    private Path file;

    @Override
    public Integer call() {
        if (choice.dir != null) {
            return evaluateFolder();
        }
        String taskId = choice.id;
        PrintWriter out = spec.commandLine().getOut();
        Optional<Task<?>> task = TaskRegistry.load().find(taskId);
        if (task.isEmpty()) {
            return usage(unknownTask(taskId));
        }
        Split split;
        try {
            split = Split.parse(splitName);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        Candidate candidate;
        try {
            candidate = candidate(name -> task.get().baseline(name).map(Baseline::source),
                    "task " + taskId + " has no baseline '" + baseline + "' (known: " + baselineNames(task.get()) + ")");
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        DataSource data = dataDir == null ? DataSource.synthetic() : DataSource.directory(dataDir);
        List<Split> cascade = split == Split.SMOKE ? List.of(Split.SMOKE) : List.of(Split.SMOKE, split);
        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.load()).withSlots(1)
                .withEvaluationTimeout(Duration.ofSeconds(timeoutSeconds));
        SandboxOutcome outcome;
        try (SandboxPool pool = SandboxPool.start(settings)) {
            outcome = pool.evaluate(new SandboxRequest(candidate.name(), taskId, candidate.source(), Optional.empty(),
                            cascade, data, details))
                    .toCompletableFuture().orTimeout(pool.longestEvaluation().toMillis(), TimeUnit.MILLISECONDS).join();
        }
        if (json) {
            out.println(toJson(outcome));
        } else {
            printTable(out, candidate.name(), data.describe(), outcome);
        }
        out.flush();
        return outcome.succeeded() ? 0 : EXIT_CANDIDATE_FAILED;
    }

    /** A candidate of a task folder through its jailed evaluator, as a worker runs it. */
    private int evaluateFolder() {
        TaskDirectory folder;
        Split split;
        try {
            folder = TaskDirectory.load(choice.dir.toAbsolutePath().normalize());
            split = Split.parse(splitName);
        } catch (TaskDirectoryException | IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (!folder.splits().contains(split.name())) {
            return usage("task folder " + folder.id() + " has no split " + split.name() + " (its splits: "
                    + String.join(", ", folder.splits()) + ")");
        }
        Candidate candidate;
        try {
            candidate = candidate(name -> Optional.ofNullable(folder.baselines().get(name)), "task folder " + folder.id()
                    + " has no baseline '" + baseline + "' (known: " + String.join(", ", folder.baselines().keySet()) + ")");
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        List<Split> cascade = split != Split.SMOKE && folder.splits().contains(Split.SMOKE.name())
                ? List.of(Split.SMOKE, split) : List.of(split);
        ExternalSettings settings = ExternalSettings.fromConfig(ConfigFactory.load()).withSlots(1);
        SandboxOutcome outcome;
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(folder, Jail.probe(settings.jail()), settings)) {
            outcome = evaluator.evaluate(candidate.source(), cascade, Optional.ofNullable(dataDir).map(d -> d.toAbsolutePath().normalize()))
                    .toCompletableFuture().orTimeout(timeoutSeconds, TimeUnit.SECONDS).join();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(outcome));
        } else {
            printTable(out, candidate.name(), dataDir == null ? "none (the task folder's own)" : dataDir.toString(), outcome);
        }
        out.flush();
        return outcome.succeeded() ? 0 : EXIT_CANDIDATE_FAILED;
    }

    /** What is evaluated and how the report names it. */
    private record Candidate(String name, String source) {
    }

    /**
     * The candidate of the flags: FILE, or the baseline {@code --baseline} names; also checks the data
     * directory and the timeout.
     *
     * @throws IllegalArgumentException in one line
     */
    private Candidate candidate(Function<String, Optional<String>> baselines, String noSuchBaseline) {
        if ((file == null) == (baseline == null)) {
            throw new IllegalArgumentException("give either a FILE or --baseline NAME");
        }
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("data directory " + dataDir + " does not exist");
        }
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        if (baseline != null) {
            return new Candidate("baseline " + baseline,
                    baselines.apply(baseline).orElseThrow(() -> new IllegalArgumentException(noSuchBaseline)));
        }
        try {
            return new Candidate(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
        }
    }

    static String unknownTask(String id) {
        List<Task<?>> all = TaskRegistry.load().all();
        return "unknown task '" + id + "' (known: "
                + (all.isEmpty() ? "none" : all.stream().map(Task::id).collect(Collectors.joining(", "))) + ")";
    }

    static String baselineNames(Task<?> task) {
        return task.baselines().stream().map(Baseline::name).collect(Collectors.joining(", "));
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("galapagos evaluate: " + message);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }

    /** The shape: status, score (null when there is none), metrics, feedback, isolation, runs. */
    static String toJson(SandboxOutcome outcome) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("status", outcome.status().name());
        object.put("score", Double.isFinite(outcome.score()) ? outcome.score() : null);
        object.put("metrics", outcome.metrics());
        object.put("feedback", outcome.feedback());
        object.put("isolation", outcome.isolation());
        object.put("split", outcome.split().label());
        object.put("elapsedMillis", outcome.elapsedMillis());
        object.put("runs", outcome.runs());
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outcome not serialisable", e);
        }
    }

    private static void printTable(PrintWriter out, String candidate, String data, SandboxOutcome outcome) {
        row(out, "candidate", candidate);
        row(out, "data", data);
        row(out, "split", outcome.split().label());
        row(out, "isolation", outcome.isolation());
        row(out, "status", outcome.status().name());
        row(out, "score", Double.isFinite(outcome.score()) ? number(outcome.score()) : "-");
        row(out, "elapsed", outcome.elapsedMillis() + " ms");
        if (!outcome.metrics().isEmpty()) {
            out.println();
            outcome.metrics().forEach((name, value) -> row(out, name, number(value)));
        }
        out.println();
        out.println("feedback:");
        outcome.feedback().lines().forEach(line -> out.println("  " + line));
        if (!outcome.runs().isEmpty()) {
            out.println();
            List<String> columns = List.copyOf(outcome.runs().get(0).keySet());
            out.println(String.join("\t", columns));
            for (Map<String, Object> run : outcome.runs()) {
                out.println(columns.stream().map(c -> String.valueOf(run.get(c))).collect(Collectors.joining("\t")));
            }
        }
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "%-22s %s%n", name, value);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
