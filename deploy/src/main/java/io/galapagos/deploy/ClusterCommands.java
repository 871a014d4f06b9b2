package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.EngineConfig;
import com.typesafe.config.ConfigFactory;
import io.galapagos.deploy.cluster.MemberTable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import io.galapagos.deploy.engine.ClusterClient;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunTask;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code run}, {@code resume} and {@code status} against an existing cluster (the {@code --cluster}
 * flag). Failures are one line on stderr: "cluster unreachable: ..." with exit code 1, "run not
 * found: ..." and other usage errors with exit code 2.
 */
final class ClusterCommands {

    private ClusterCommands() {
    }

    /** Submits a new run, follows it to the end and writes its outputs under {@code outDir}. */
    static int run(ClusterOptions options, Config config, Path outDir, RunTask task, RunSettings settings,
                   CommandLine cli) throws Exception {
        String runId = settings.runId();
        System.out.println("galapagos run: run id " + runId + " on the cluster at " + String.join(",", options.addresses()));
        boolean exists;
        try {
            exists = readHistory(config, runId, config.getDuration("galapagos.client.read-timeout")).settings().isPresent();
        } catch (IllegalStateException e) {
            return failed(cli, "run", new ClusterClient.Unreachable(ClusterClient.oneLine(e.getMessage())));
        }
        if (exists) {
            return usage(cli, "run", "the cluster's database already holds a run '" + runId + "': continue it with "
                    + "'galapagos resume --cluster " + String.join(",", options.addresses()) + " --run-id " + runId
                    + "' or choose another --run-id");
        }
        try (ClusterClient client = ClusterClient.join(config)) {
            client.follow(runId, outDir, task, session -> session.start(settings));
            return 0;
        } catch (IllegalStateException e) {
            return failed(cli, "run", e);
        }
    }

    /** Resumes a stopped or crashed run of the cluster's database. */
    static int resume(ClusterOptions options, Optional<Path> configFile, Optional<Path> out, ResumeCommand.Budget budget,
                      CommandLine cli) throws Exception {
        String runId;
        Config config;
        try {
            runId = options.requiredRunId();
            config = options.clientConfig(configFile);
        } catch (IllegalArgumentException e) {
            return usage(cli, "resume", e.getMessage());
        }
        Path outDir = out.orElse(Path.of("galapagos-out", runId)).toAbsolutePath().normalize();
        // the database answers "run not found" and a task that is not here before the client joins anything
        RunSettings settings;
        RunTask task;
        try {
            RunHistory history = readHistory(config, runId, config.getDuration("galapagos.client.read-timeout"));
            settings = ClusterClient.startedSettings(history, runId);
            budget.check(history);
            task = RunTask.stored(config, settings.taskId());
            RunCommand.preflight(settings.generation(), config);
        } catch (IllegalArgumentException e) {
            return usage(cli, "resume", e.getMessage());
        } catch (IllegalStateException e) {
            return failed(cli, "resume", new ClusterClient.Unreachable(ClusterClient.oneLine(e.getMessage())));
        }
        try (ClusterClient client = ClusterClient.join(config)) {
            Files.createDirectories(outDir);
            client.follow(runId, outDir, task, budget::begin);
            return 0;
        } catch (IllegalStateException e) {
            return failed(cli, "resume", e);
        }
    }

    /**
     * The cluster's members from the members table and, with {@code --run-id}, the run's stored history:
     * read from the database only, without joining the cluster (so it answers while the cluster is busy,
     * failing over, or gone).
     */
    static int status(ClusterOptions options, Optional<Path> configFile, boolean json, CommandLine cli) throws Exception {
        Optional<String> runId;
        Config config;
        try {
            runId = options.optionalRunId();
            config = options.clientConfig(configFile);
        } catch (IllegalArgumentException e) {
            return usage(cli, "status", e.getMessage());
        }
        Duration read = config.getDuration("galapagos.client.read-timeout");
        EngineConfig.Store store = EngineConfig.from(config).store();
        List<MemberTable.Member> members;
        Optional<RunHistory> history = Optional.empty();
        try {
            members = MemberTable.read(store.url(), store.user(), store.password(), read);
            if (runId.isPresent()) {
                history = Optional.of(readHistory(config, runId.get(), read));
                if (history.get().settings().isEmpty()) {
                    return usage(cli, "status", "run not found: the cluster's database holds no run '" + runId.get() + "'");
                }
            }
        } catch (IllegalStateException e) {
            return failed(cli, "status", new ClusterClient.Unreachable(ClusterClient.oneLine(e.getMessage())));
        }
        StatusCommand.print(history, Optional.of(new StatusCommand.ClusterView(members,
                config.getDuration("galapagos.members.stale-after"))), json, cli.getOut());
        return 0;
    }

    /** A run's history read by a local actor system that only queries the journal (it joins no cluster). */
    static RunHistory readHistory(Config clientConfig, String runId, Duration timeout) {
        Config config = ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = ERROR")
                .withFallback(clientConfig);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "galapagos-status", config);
        try {
            return RunHistory.load(system, runId, timeout);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the run '" + runId + "' from the database: "
                    + ClusterClient.oneLine(String.valueOf(e.getMessage())), e);
        } finally {
            system.terminate();
        }
    }

    private static int usage(CommandLine cli, String command, String message) {
        cli.getErr().println("galapagos " + command + ": " + message);
        cli.getErr().flush();
        return Galapagos.EXIT_USAGE;
    }

    private static int failed(CommandLine cli, String command, IllegalStateException e) {
        cli.getErr().println("galapagos " + command + ": " + ClusterClient.oneLine(e.getMessage()));
        cli.getErr().flush();
        return Galapagos.EXIT_FAILED;
    }
}
