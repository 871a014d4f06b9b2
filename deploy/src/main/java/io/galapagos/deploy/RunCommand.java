package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
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
            config = cluster.active() ? cluster.clientConfig(configFile)
                    : EmbeddedNode.config(outDir, configFile, ConfigFactory.empty());
            settings = settings(chosen, EngineConfig.from(config));
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
            RunSession session = new RunSession(node, outDir, new java.io.PrintStream(System.out, true),
                    new java.io.PrintStream(System.err, true));
            begin.apply(session);
            session.follow(Duration.ofMillis(500));
            session.finish(task, evaluator);
            return 0;
        }
    }
}
