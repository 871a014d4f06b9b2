package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StoredRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos resume}: continues a stopped or crashed run with the settings it started with. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a stopped or crashed run (of --out, or of the cluster with --cluster and --run-id).")
public final class ResumeCommand implements Callable<Integer> {

    @Option(names = "--out", description = "output directory of the run (with --cluster: default galapagos-out/<run id>)")
    Optional<Path> out = Optional.empty();

    @CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--config", description = "with --cluster: HOCON file with the cluster's settings")
    Optional<Path> configFile = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (cluster.active()) {
            return ClusterCommands.resume(cluster, configFile, out, spec.commandLine());
        }
        if (out.isEmpty() || configFile.isPresent()) {
            spec.commandLine().getErr().println("galapagos resume: " + (out.isEmpty() ? "missing --out (or --cluster with --run-id)"
                    : "--config needs --cluster (an embedded run keeps its configuration under --out)"));
            return Galapagos.EXIT_USAGE;
        }
        Path outDir = out.get().toAbsolutePath().normalize();
        Config config;
        RunTask task;
        try {
            cluster.checkEmbedded();
            // a live run holds the journal: say who, before anything opens it
            RunFolderLock.checkFree(outDir);
            config = storedRunConfig(outDir, ConfigFactory.empty());
            EngineConfig.from(config);
            RunHistory history;
            try {
                history = readHistory(outDir);
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(outDir + " holds a journal that cannot be read ("
                        + firstLine(e.getMessage()) + "): it is empty or damaged; start a new run with another --out");
            }
            if (history.settings().isEmpty()) {
                throw new IllegalArgumentException(outDir + " holds no started run");
            }
            task = RunTask.stored(config, history.settings().get().taskId());
            RunCommand.preflight(history.settings().get().generation());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        RunFolderLock lock;
        try {
            lock = RunFolderLock.acquire(outDir);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        try (lock) {
            return RunCommand.execute(config, outDir, task, RunSession::resume, spec.commandLine());
        }
    }

    /** The configuration a run in {@code outDir} was started with (its copy of the --config file). */
    static Config storedRunConfig(Path outDir, Config overrides) {
        if (!Files.isDirectory(outDir.resolve("journal"))) {
            throw new IllegalArgumentException(outDir + " holds no run (no journal directory)");
        }
        Path saved = outDir.resolve("galapagos.conf");
        return EmbeddedNode.config(outDir, Files.exists(saved) ? Optional.of(saved) : Optional.empty(), overrides);
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /**
     * Reads a run's history straight from its journal's rows (no actor system: fast, also while it runs).
     *
     * @throws IllegalStateException when the journal cannot be read (empty or damaged)
     */
    static RunHistory readHistory(Path outDir) {
        return StoredRun.read(storedRunConfig(outDir, ConfigFactory.empty()), RunSession.RUN_ID);
    }
}
