package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.Engine;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GenerationConfig;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.generation.LlmSettings;
import io.galapagos.controller.generation.ModelSettings;
import io.galapagos.controller.generation.OpenAiChatClient;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.DurationText;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.deploy.engine.ConsoleLog;
import io.galapagos.deploy.engine.DashboardTasks;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.NodeParts;
import io.galapagos.deploy.engine.OutputRefresher;
import io.galapagos.deploy.engine.StopSignals;
import io.galapagos.deploy.engine.StoredRun;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.web.Dashboard;
import io.galapagos.deploy.web.DashboardSettings;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StartingPrograms;
import io.galapagos.deploy.engine.TaskFolders;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.WorkloadException;
import io.galapagos.worker.CandidateEvaluator;
import io.galapagos.worker.external.BundledTask;
import io.galapagos.worker.external.OpenEvolveConfig;
import io.galapagos.worker.external.TaskBundle;
import io.galapagos.worker.external.TaskDirectory;
import io.galapagos.worker.external.TaskDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code galapagos run}: a search on the embedded single node, from start to summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a search on the embedded node (all roles in one JVM, journal under --out), "
                + "or submit it to an existing cluster with --cluster.")
public final class RunCommand implements Callable<Integer> {

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    TaskChoice choice;

    /** A built-in task or a task folder, exactly one. */
    static final class TaskChoice {
        @Option(names = "--task", required = true, description = "a built-in task id (see 'galapagos tasks')")
        String id;

        @Option(names = "--task-dir", required = true, paramLabel = "DIR",
                description = "a task folder: galapagos-task.conf, or OpenEvolve's layout (initial_program.*, evaluator.py)")
        Path dir;
    }

    @Option(names = "--iterations", description = "evaluated candidates (default: galapagos.run.iterations)")
    Optional<Long> iterations = Optional.empty();

    @Option(names = "--islands", description = "islands (default: galapagos.islands.count)")
    Optional<Integer> islands = Optional.empty();

    @Option(names = "--seed", description = "seed of every random choice (default: galapagos.run.seed)")
    Optional<Long> seed = Optional.empty();

    @Option(names = "--wall-clock", paramLabel = "DURATION",
            description = "stop proposing after this much run time, summed over sessions: 90m, 2h, 30s, or off"
                    + " (default: galapagos.run.wall-clock, off)")
    Optional<String> wallClock = Optional.empty();

    @Option(names = "--initial", paramLabel = "FILE",
            description = "start every island from this program instead of the task's initial program")
    Optional<Path> initial = Optional.empty();

    @Option(names = "--from", paramLabel = "DIR",
            description = "branch: start the islands from the best programs of the run in DIR (same task), evaluated again")
    Optional<Path> from = Optional.empty();

    @Option(names = "--data-dir", description = "published data directory; default: the task's synthetic workloads")
    Optional<Path> dataDir = Optional.empty();

    @Option(names = "--out", description = "output directory (default: galapagos-out/<task>)")
    Optional<Path> out = Optional.empty();

    @Option(names = "--config", description = "HOCON file overriding galapagos.* and pekko.* settings")
    Optional<Path> configFile = Optional.empty();

    @Option(names = "--llm", paramLabel = "offline|openai",
            description = "who proposes children: the built-in mutation engine or models behind an OpenAI-compatible"
                    + " endpoint (default: galapagos.generation.llm; openai when --model is given)")
    Optional<String> llm = Optional.empty();

    @Option(names = "--model", paramLabel = "NAME[:WEIGHT]",
            description = "a model of the ensemble; repeat for several (two without weights: 80/20)")
    List<String> models = new ArrayList<>();

    @Option(names = "--api-base", paramLabel = "URL",
            description = "the OpenAI-compatible API root (default: galapagos.generation.api-base, https://api.openai.com/v1)")
    Optional<String> apiBase = Optional.empty();

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "the NAME of the environment variable holding the key, or none (default: OPENAI_API_KEY)")
    Optional<String> apiKeyEnv = Optional.empty();

    @Option(names = "--budget-usd", paramLabel = "X",
            description = "stop proposing before model calls cost more than X dollars (default: no limit)")
    Optional<Double> budgetUsd = Optional.empty();

    @Option(names = "--model-choice", paramLabel = "weights|bandit",
            description = "how each proposal's model is chosen: by the weights, or by what each model's children"
                    + " earned per dollar (default: galapagos.generation.model-choice, weights)")
    Optional<String> modelChoice = Optional.empty();

    @CommandLine.ArgGroup(exclusive = true)
    AnswerFormatFlags format;

    /** {@code --diff} or {@code --full-rewrite}, not both. */
    static final class AnswerFormatFlags {
        @Option(names = "--diff", required = true, description = "models answer with SEARCH/REPLACE edits (default)")
        boolean diff;

        @Option(names = "--full-rewrite", required = true, description = "models answer with the whole program")
        boolean fullRewrite;
    }

    @CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();

    @CommandLine.Mixin
    DashboardOptions dashboard = new DashboardOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code galapagos}, or {@code bench instant} whose runs propose and evaluate instantly. */
    @CommandLine.ParentCommand
    Object parent;

    @Override
    public Integer call() throws Exception {
        Path outDir;
        NodeParts parts;
        RunTask chosen;
        Optional<TaskDirectory> folder = Optional.empty();
        Optional<TaskBundle> bundle = Optional.empty();
        Config config;
        RunSettings settings;
        Optional<DashboardSettings> dashboardSettings;
        try {
            cluster.checkEmbedded();
            parts = InstantRunCommand.partsUnder(parent, cluster.active());
            if (cluster.active()) {
                dashboard.settings(ConfigFactory.empty(), true); // flags a cluster run cannot use, at once
            }
            if (initial.isPresent() && from.isPresent()) {
                throw new IllegalArgumentException("--initial and --from both say where the islands start: give one");
            }
            Optional<Long> wallClockFlag = wallClock.map(text -> DurationText.parseBudget("--wall-clock", text)
                    .map(Duration::toMillis).orElse(0L));
            Optional<RunHistory> branchedFrom = Optional.empty();
            if (from.isPresent()) {
                branchedFrom = Optional.of(earlierRun(from.get().toAbsolutePath().normalize()));
            }
            if (choice.dir != null) {
                folder = Optional.of(TaskDirectory.load(choice.dir.toAbsolutePath().normalize()));
                folder.get().openEvolve().ifPresent(this::warnUnsupported);
            }
            String label = folder.map(TaskDirectory::id).orElse(choice.id);
            outDir = out.orElse(Path.of("galapagos-out", cluster.active() ? cluster.runIdFor(label) : label))
                    .toAbsolutePath().normalize();
            if (!cluster.active()) {
                RunFolderLock.checkFree(outDir);
            }
            if (Files.exists(outDir.resolve("journal"))) {
                throw new IllegalArgumentException(outDir + " already holds a run: continue it with 'galapagos resume --out "
                        + outDir + "' or choose another --out");
            }
            if (dataDir.isPresent() && !Files.isDirectory(dataDir.get())) {
                throw new IllegalArgumentException("--data-dir " + dataDir.get() + (Files.exists(dataDir.get())
                        ? " is a file, not a directory" : " does not exist"));
            }
            Config flags = generationFlags().withFallback(folder.flatMap(TaskDirectory::openEvolve)
                    .map(RunCommand::openEvolveGeneration).orElse(ConfigFactory.empty()));
            config = cluster.active() ? flags.withFallback(cluster.clientConfig(configFile))
                    : EmbeddedNode.config(outDir, configFile, flags);
            if (folder.isPresent()) {
                bundle = Optional.of(TaskFolders.pack(config, folder.get()));
                chosen = RunTask.of(BundledTask.taskId(folder.get().id(), bundle.get().hash()), folder.get());
                if (initial.isPresent()) {
                    // the folder's own layout asks for the markers; OpenEvolve's evolves whole files without them
                    chosen = chosen.withInitialProgram(StartingPrograms.initialProgram(initial.get(), Optional.empty(),
                            folder.get().openEvolve().isEmpty()));
                }
            } else {
                Task<?> builtIn = TaskRegistry.load().require(choice.id);
                dataDir.ifPresent(d -> builtIn.evaluator(DataSource.directory(d.toAbsolutePath().normalize())));
                chosen = RunTask.of(builtIn);
                if (initial.isPresent()) {
                    chosen = chosen.withInitialProgram(StartingPrograms.initialProgram(initial.get(),
                            Optional.<Class<?>>of(builtIn.candidateType()), true));
                }
            }
            settings = settings(chosen, folder, EngineConfig.from(config), wallClockFlag)
                    .withGeneration(GenerationConfig.from(config)).check();
            if (branchedFrom.isPresent()) {
                String earlierTask = branchedFrom.get().settings().orElseThrow().taskId();
                if (!earlierTask.equals(chosen.taskId())) {
                    throw new IllegalArgumentException("--from " + from.get() + " is a run of the task '" + earlierTask
                            + "', not of '" + chosen.taskId() + "': a branch searches the same task");
                }
                settings = settings.withSeedPrograms(StartingPrograms.bestOf(branchedFrom.get(), settings.islands()));
            }
            settings.check();
            preflight(settings.generation(), config);
            Evaluators.callLog(config); // a bad galapagos.generation.llm-log is one line, before anything starts
            GenerationConfig.calls(config); // so is a bad timeout, concurrency, retry or circuit of this node
            dashboardSettings = dashboard.settings(config, cluster.active());
        } catch (IllegalArgumentException | WorkloadException | TaskDirectoryException e) {
            return usage(e.getMessage());
        }
        try {
            Files.createDirectories(outDir);
            if (configFile.isPresent()) {
                Files.copy(configFile.get(), outDir.resolve("galapagos.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return usage("--out " + outDir + " is a file, not a directory");
        } catch (java.io.IOException e) {
            return usage("cannot write the run's folder " + outDir + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        Optional<TaskBundle> carried = bundle;
        Config finalConfig = config;
        RunSettings finalSettings = settings;
        if (cluster.active()) {
            carried.ifPresent(b -> TaskFolders.put(finalConfig, b));
            return ClusterCommands.run(cluster, config, outDir, chosen, settings, spec.commandLine());
        }
        RunFolderLock lock;
        try {
            lock = RunFolderLock.acquire(outDir);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try (lock) {
            return execute(config, outDir, chosen, session -> {
                carried.ifPresent(b -> TaskFolders.put(finalConfig, b));
                return session.start(finalSettings);
            }, dashboardSettings, parts, spec.commandLine());
        }
    }

    /** The history of the run to branch from; that folder must not be in use (its journal is a one-process file). */
    private static RunHistory earlierRun(Path dir) {
        if (!Files.isDirectory(dir.resolve("journal"))) {
            throw new IllegalArgumentException("--from " + dir + " holds no run (no journal directory)");
        }
        RunFolderLock.checkFree(dir);
        RunHistory history;
        try {
            history = ResumeCommand.readHistory(dir);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("--from " + dir + " holds a journal that cannot be read: it is empty or damaged");
        }
        if (history.settings().isEmpty()) {
            throw new IllegalArgumentException("--from " + dir + " holds no started run");
        }
        return history;
    }

    private RunSettings settings(RunTask chosen, Optional<TaskDirectory> folder, EngineConfig config,
                                 Optional<Long> wallClockFlag) {
        EngineConfig.RunDefaults run = config.run();
        Optional<String> directory = dataDir.map(p -> p.toAbsolutePath().normalize().toString());
        Optional<OpenEvolveConfig> openEvolve = folder.flatMap(TaskDirectory::openEvolve);
        List<String> cascade = run.cascade();
        boolean testBest = run.testBest();
        if (folder.isPresent()) {
            // only the splits the folder's evaluator knows; TEST stays held out for the island bests
            List<String> known = folder.get().splits();
            cascade = run.cascade().stream().filter(known::contains).toList();
            if (cascade.isEmpty()) {
                cascade = known.stream().filter(split -> !split.equals("TEST")).toList();
            }
            testBest = testBest && known.contains("TEST");
        }
        long chosenSeed = seed.or(() -> openEvolve.flatMap(OpenEvolveConfig::randomSeed)).orElse(run.seed());
        int chosenIslands = islands.or(() -> openEvolve.flatMap(OpenEvolveConfig::numIslands)).orElse(config.islandCount());
        long chosenIterations = iterations.or(() -> openEvolve.flatMap(OpenEvolveConfig::maxIterations).map(Long::valueOf))
                .orElse(run.iterations());
        return new RunSettings(cluster.runIdOf(chosen.label()), chosen.taskId(), chosenSeed, chosenIslands,
                chosenIterations, wallClockFlag.orElse(run.wallClock().map(Duration::toMillis).orElse(0L)),
                run.earlyStopAfter(), run.targetScore(), cascade, testBest,
                directory, run.dataSeed(), chosen.initialProgram(), chosen.featureMetric(),
                config.islands().withConstraintMetrics(chosen.constraintMetricsByName())
                        .withObjectives(chosen.islandObjectives())
                        .withNoise(chosen.stochastic(), chosen.repeats()));
    }

    /**
     * What an OpenEvolve {@code config.yaml} says about generation, as configuration under the flags: its
     * models and weights, API base, temperature, token limit and answer format.
     */
    static Config openEvolveGeneration(OpenEvolveConfig openEvolve) {
        Map<String, Object> keys = new LinkedHashMap<>();
        if (!openEvolve.models().isEmpty()) {
            List<Map<String, Object>> models = new ArrayList<>();
            for (OpenEvolveConfig.Model model : openEvolve.models()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", model.name());
                entry.put("weight", model.weight());
                openEvolve.temperature().ifPresent(t -> entry.put("temperature", t));
                openEvolve.maxTokens().ifPresent(t -> entry.put("max-tokens", t));
                models.add(entry);
            }
            keys.put("galapagos.generation.models", models);
        }
        openEvolve.apiBase().ifPresent(v -> keys.put("galapagos.generation.api-base", v));
        openEvolve.diffBasedEvolution().ifPresent(diff -> keys.put("galapagos.generation.format", diff ? "diff" : "full-rewrite"));
        return ConfigFactory.parseMap(keys, "the task folder's config.yaml");
    }

    private void warnUnsupported(OpenEvolveConfig openEvolve) {
        if (!openEvolve.unsupportedKeys().isEmpty()) {
            spec.commandLine().getErr().println("galapagos run: config.yaml: not supported, ignored: "
                    + String.join(", ", openEvolve.unsupportedKeys()));
        }
    }

    /** The generation flags as configuration, so that they override the --config file key by key. */
    private Config generationFlags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        llm.ifPresent(v -> flags.put("galapagos.generation.llm", v));
        if (!models.isEmpty()) {
            flags.put("galapagos.generation.models", models);
            if (llm.isEmpty()) {
                flags.put("galapagos.generation.llm", "openai");
            }
        }
        apiBase.ifPresent(v -> flags.put("galapagos.generation.api-base", v));
        apiKeyEnv.ifPresent(v -> flags.put("galapagos.generation.api-key-env", v));
        budgetUsd.ifPresent(v -> flags.put("galapagos.generation.budget-usd", v));
        modelChoice.ifPresent(v -> flags.put("galapagos.generation.model-choice", v));
        if (format != null) {
            flags.put("galapagos.generation.format", format.fullRewrite ? "full-rewrite" : "diff");
        }
        return ConfigFactory.parseMap(flags, "command-line flags");
    }

    /**
     * A run that would only collect failed calls does not start: every model's key must be set and its
     * endpoint (where {@code config} calls it now) must answer. Throws with one line saying which and why.
     */
    static void preflight(GenerationSettings generation, Config config) {
        if (generation.mode() == GenerationSettings.Mode.OFFLINE) {
            return;
        }
        LlmSettings llm = GenerationConfig.calls(config).settingsOf(generation.llm().orElseThrow());
        OpenAiChatClient client = OpenAiChatClient.create(llm.retry());
        for (ModelSettings model : llm.models()) {
            client.preflight(model, PREFLIGHT_TIMEOUT).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
    }

    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(15);

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos run: " + message);
        return Galapagos.EXIT_USAGE;
    }

    interface Begin {
        io.galapagos.controller.run.RunStatus apply(RunSession session);
    }

    /** How long a stop waits for the node to wind down before it writes the outputs anyway. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);
    /** How long a stop may take before the process ends without it (the journal stays consistent). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * How often the run is asked how far it got (an ask of the run's actor in this JVM, and the progress
     * line): its end is noticed within this. At 500 ms a 10 s run waited 250 ms for it on average.
     */
    static final Duration FOLLOW_INTERVAL = Duration.ofMillis(100);

    /**
     * Starts the node, begins or resumes the run, follows it to the end and writes the results. Ctrl-C or
     * SIGTERM stops it: outputs written from the journal, one line, exit code 130 (143); a failure is one
     * line naming the log file, with the trace in it, and exit code 1.
     */
    static int execute(Config config, Path outDir, RunTask task, Begin begin,
                       Optional<DashboardSettings> dashboardSettings, CommandLine cli) throws Exception {
        return execute(config, outDir, task, begin, dashboardSettings, NodeParts.standard(), cli);
    }

    /** The same, evaluating and proposing with {@code parts} instead of the sandbox and the configured generators. */
    static int execute(Config config, Path outDir, RunTask task, Begin begin,
                       Optional<DashboardSettings> dashboardSettings, NodeParts parts, CommandLine cli) throws Exception {
        return execute(config, outDir, task, RunSession.RUN_ID, begin, dashboardSettings, parts, cli);
    }

    /**
     * The same for a run whose id is {@code runId} rather than a folder's {@link RunSession#RUN_ID}: a cluster
     * run replayed on this machine keeps its id, which its islands report to and its candidates' ids carry.
     */
    static int execute(Config config, Path outDir, RunTask task, String runId, Begin begin,
                       Optional<DashboardSettings> dashboardSettings, NodeParts parts, CommandLine cli)
            throws Exception {
        String command = cli.getCommandSpec().qualifiedName();
        String resumeHint = "continue with: galapagos resume --out " + outDir;
        ConsoleLog.Format format;
        try {
            format = ConsoleLog.Format.of(config);
        } catch (IllegalArgumentException e) {
            cli.getErr().println(command + ": " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        try (ConsoleLog.RunLog runLog = ConsoleLog.toRunFolder(outDir, format);
             StopSignals signals = StopSignals.install(command + ": stopped at once; " + resumeHint, STOP_GRACE)) {
            Path log = runLog.file();
            CandidateEvaluator evaluator = null;
            EmbeddedNode node = null;
            DashboardTasks dashboardTasks = null;
            Dashboard dashboard = null;
            try {
                evaluator = parts.evaluator().apply(config);
                node = EmbeddedNode.start(config, evaluator, parts.generators().apply(config));
                ConsoleLog.nameNode(node.member().address());
                RunSession session = new RunSession(node.system(), node.engine(), runId, outDir, cli.getOut(), cli.getErr());
                if (dashboardSettings.isPresent()) {
                    dashboardTasks = new DashboardTasks(id -> task, Optional.of(evaluator), Optional.of(outDir));
                    Engine engine = node.engine();
                    try {
                        dashboard = Dashboard.start(node.system(), dashboardSettings.get(), new Dashboard.Node(
                                () -> Optional.of(engine), Optional.of(evaluator), dashboardTasks));
                    } catch (IllegalArgumentException e) {
                        cli.getErr().println(command + ": " + e.getMessage());
                        return Galapagos.EXIT_USAGE;
                    }
                    dashboard.follow(runId, session.reader());
                    cli.getOut().println(dashboard.announcement());
                    cli.getOut().flush();
                }
                if (!signals.requested().toCompletableFuture().isDone()) {
                    begin.apply(session);
                }
                Optional<io.galapagos.controller.run.RunStatus> end;
                try (OutputRefresher refresher = session.refreshOutputs(task)) {
                    end = session.follow(FOLLOW_INTERVAL, Optional.empty(), signals.requested());
                }
                if (end.isEmpty()) {
                    return stop(signals.requested().toCompletableFuture().join(), node, config, outDir, task, runId,
                            cli, resumeHint);
                }
                session.finish(task, evaluator);
                node.close();
                node = null;
                return 0;
            } catch (RuntimeException e) {
                if (Galapagos.configurationProblem(e).isPresent() || signals.requested().toCompletableFuture().isDone()) {
                    throw e;
                }
                return failed(command, e, log, cli);
            } finally {
                if (dashboard != null) {
                    dashboard.close();
                }
                if (dashboardTasks != null) {
                    dashboardTasks.close();
                }
                if (node != null && !signals.requested().toCompletableFuture().isDone()) {
                    ConsoleLog.quiet();
                    closeQuietly(node);
                }
                if (evaluator != null) {
                    evaluator.close();
                }
            }
        }
    }

    /**
     * A clean stop: the node winds down (briefly: candidates still in flight are left to resume, which
     * submits them again), the outputs are written from the journal, and one line says how to go on.
     */
    private static int stop(StopSignals.Kind kind, EmbeddedNode node, Config config, Path outDir, RunTask task,
                            String runId, CommandLine cli, String resumeHint) {
        ConsoleLog.quiet();
        node.system().terminate();
        try {
            node.system().getWhenTerminated().toCompletableFuture().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // still winding down: what is journalled is consistent, the rest resume redoes
        }
        RunHistory history = StoredRun.read(config, runId);
        StoredRun.flush(config);
        if (history.settings().isPresent()) {
            task.writeOutputs(outDir, history);
            CandidateLog.open(outDir, task.programExtension()).append(history);
        }
        String command = cli.getCommandSpec().qualifiedName();
        if (history.settings().isEmpty()) {
            cli.getErr().println(command + ": stopped before the run started; start it again with another --out");
        } else {
            cli.getErr().println(command + ": stopped after " + history.evaluatedCount() + "/"
                    + history.settings().get().iterations() + " evaluations; " + resumeHint);
        }
        cli.getErr().flush();
        return kind.exitCode();
    }

    /** An unexpected failure: the trace goes to the run's log file, the console gets one line naming it. */
    private static int failed(String command, RuntimeException e, Path log, CommandLine cli) {
        ConsoleLog.quiet();
        org.slf4j.LoggerFactory.getLogger(RunCommand.class).error(command + " failed", e);
        cli.getErr().println(command + ": failed: " + Galapagos.oneLine(e) + " (details in " + log + ")");
        cli.getErr().flush();
        return Galapagos.EXIT_FAILED;
    }

    private static void closeQuietly(EmbeddedNode node) {
        try {
            node.close();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunCommand.class).warn("the node did not stop cleanly", e);
        }
    }
}
