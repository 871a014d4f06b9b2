package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GenerationConfig;
import io.galapagos.controller.generation.GenerationSettings;
import io.galapagos.controller.generation.ModelSettings;
import io.galapagos.controller.generation.OpenAiChatClient;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.Evaluators;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.WorkloadException;
import io.galapagos.worker.CandidateEvaluator;
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

/** {@code galapagos run}: a search on the embedded single node, from start to summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a search on the embedded node (all roles in one JVM, journal under --out), "
                + "or submit it to an existing cluster with --cluster.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, description = "task id (see 'galapagos tasks')")
    String task;

    @Option(names = "--iterations", description = "evaluated candidates (default: galapagos.run.iterations)")
    Optional<Long> iterations = Optional.empty();

    @Option(names = "--islands", description = "islands (default: galapagos.islands.count)")
    Optional<Integer> islands = Optional.empty();

    @Option(names = "--seed", description = "seed of every random choice (default: galapagos.run.seed)")
    Optional<Long> seed = Optional.empty();

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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path outDir;
        Task<?> chosen;
        Config config;
        RunSettings settings;
        try {
            cluster.checkEmbedded();
            outDir = out.orElse(Path.of("galapagos-out", cluster.active() ? cluster.runIdFor(task) : task))
                    .toAbsolutePath().normalize();
            chosen = TaskRegistry.load().require(task);
            if (Files.exists(outDir.resolve("journal"))) {
                throw new IllegalArgumentException(outDir + " already holds a run: continue it with 'galapagos resume --out "
                        + outDir + "' or choose another --out");
            }
            if (dataDir.isPresent() && !Files.isDirectory(dataDir.get())) {
                throw new IllegalArgumentException("data directory " + dataDir.get() + " does not exist");
            }
            config = cluster.active() ? generationFlags().withFallback(cluster.clientConfig(configFile))
                    : EmbeddedNode.config(outDir, configFile, generationFlags());
            settings = settings(chosen, EngineConfig.from(config)).withGeneration(GenerationConfig.from(config));
            preflight(settings.generation());
        } catch (IllegalArgumentException | WorkloadException e) {
            return usage(e.getMessage());
        }
        Files.createDirectories(outDir);
        if (configFile.isPresent()) {
            Files.copy(configFile.get(), outDir.resolve("galapagos.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (cluster.active()) {
            return ClusterCommands.run(cluster, config, outDir, chosen, settings, spec.commandLine());
        }
        return execute(config, outDir, chosen, session -> session.start(settings), spec.commandLine());
    }

    private RunSettings settings(Task<?> chosen, EngineConfig config) {
        EngineConfig.RunDefaults run = config.run();
        Optional<String> directory = dataDir.map(p -> p.toAbsolutePath().normalize().toString());
        directory.ifPresent(d -> chosen.evaluator(DataSource.directory(Path.of(d))));
        return new RunSettings(cluster.runIdOf(chosen.id()), chosen.id(), seed.orElse(run.seed()), islands.orElse(config.islandCount()),
                iterations.orElse(run.iterations()), run.wallClock().toMillis(), run.earlyStopAfter(), run.targetScore(),
                run.cascade(), run.testBest(), directory, run.dataSeed(), chosen.initialProgram().source(),
                chosen.featureMetric(), config.islands());
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
        if (format != null) {
            flags.put("galapagos.generation.format", format.fullRewrite ? "full-rewrite" : "diff");
        }
        return ConfigFactory.parseMap(flags, "command-line flags");
    }

    /**
     * A run that would only collect failed calls does not start: every model's key must be set and its
     * endpoint must answer. Throws with one line saying which and why.
     */
    static void preflight(GenerationSettings generation) {
        if (generation.mode() == GenerationSettings.Mode.OFFLINE) {
            return;
        }
        OpenAiChatClient client = OpenAiChatClient.create(generation.llm().orElseThrow().retry());
        for (ModelSettings model : generation.models()) {
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

    /** Starts the node, begins or resumes the run, follows it to the end and writes the results. */
    static int execute(Config config, Path outDir, Task<?> task, Begin begin, CommandLine cli) throws Exception {
        try (CandidateEvaluator evaluator = Evaluators.forNode(config, TaskRegistry.load());
             EmbeddedNode node = EmbeddedNode.start(config, evaluator, Evaluators.generators())) {
            RunSession session = new RunSession(node, outDir, cli.getOut(), cli.getErr());
            begin.apply(session);
            session.follow(Duration.ofMillis(500));
            session.finish(task, evaluator);
            return 0;
        }
    }
}
