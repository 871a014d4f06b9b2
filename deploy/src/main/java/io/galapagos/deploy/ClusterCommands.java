package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.ClusterClient;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code run}, {@code resume} and {@code status} against an existing cluster (the {@code --cluster} flag). */
final class ClusterCommands {

    private ClusterCommands() {
    }

    /** Submits a new run, follows it to the end and writes its outputs under {@code outDir}. */
    static int run(ClusterOptions options, Config config, Path outDir, Task<?> task, RunSettings settings,
                   CommandLine cli) throws Exception {
        String runId = settings.runId();
        System.out.println("galapagos run: run id " + runId + " on the cluster at " + options.cluster.orElseThrow());
        try (ClusterClient client = ClusterClient.join(config)) {
            if (client.history(runId).settings().isPresent()) {
                return usage(cli, "run", "the cluster's database already holds a run '" + runId + "': continue it with "
                        + "'galapagos resume --cluster " + options.cluster.get() + " --run-id " + runId
                        + "' or choose another --run-id");
            }
            client.follow(runId, outDir, task, session -> session.start(settings));
            return 0;
        } catch (IllegalStateException e) {
            return failed(cli, "run", e);
        }
    }

    /** Resumes a stopped or crashed run of the cluster's database. */
    static int resume(ClusterOptions options, Optional<Path> configFile, Optional<Path> out, CommandLine cli) throws Exception {
        String runId;
        Config config;
        try {
            runId = options.requiredRunId();
            config = options.clientConfig(configFile);
        } catch (IllegalArgumentException e) {
            return usage(cli, "resume", e.getMessage());
        }
        Path outDir = out.orElse(Path.of("galapagos-out", runId)).toAbsolutePath().normalize();
        try (ClusterClient client = ClusterClient.join(config)) {
            RunSettings settings;
            Task<?> task;
            try {
                settings = ClusterClient.startedSettings(client.history(runId), runId);
                task = TaskRegistry.load().require(settings.taskId());
                RunCommand.preflight(settings.generation());
            } catch (IllegalArgumentException e) {
                return usage(cli, "resume", e.getMessage());
            }
            Files.createDirectories(outDir);
            client.follow(runId, outDir, task, RunSession::resume);
            return 0;
        } catch (IllegalStateException e) {
            return failed(cli, "resume", e);
        }
    }

    /** The run's live status from its entity, then the counts and island bests from the database. */
    static int status(ClusterOptions options, Optional<Path> configFile, boolean json, CommandLine cli) throws Exception {
        String runId;
        Config config;
        try {
            runId = options.requiredRunId();
            config = options.clientConfig(configFile);
        } catch (IllegalArgumentException e) {
            return usage(cli, "status", e.getMessage());
        }
        try (ClusterClient client = ClusterClient.join(config)) {
            RunHistory history = client.history(runId);
            try {
                ClusterClient.startedSettings(history, runId);
            } catch (IllegalArgumentException e) {
                return usage(cli, "status", e.getMessage());
            }
            RunStatus live = client.status(runId);
            StatusCommand.print(history, json, Optional.of(live), cli.getOut());
            return 0;
        } catch (IllegalStateException e) {
            return failed(cli, "status", e);
        }
    }

    private static int usage(CommandLine cli, String command, String message) {
        cli.getErr().println("galapagos " + command + ": " + message);
        cli.getErr().flush();
        return Galapagos.EXIT_USAGE;
    }

    private static int failed(CommandLine cli, String command, IllegalStateException e) {
        cli.getErr().println("galapagos " + command + ": " + e.getMessage());
        cli.getErr().flush();
        return Galapagos.EXIT_FAILED;
    }
}
