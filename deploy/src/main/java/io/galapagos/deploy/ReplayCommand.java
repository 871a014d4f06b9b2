package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.NodeParts;
import io.galapagos.deploy.engine.RecordedProposals;
import io.galapagos.deploy.engine.ReplayCheck;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StoredRun;
import io.galapagos.deploy.engine.TaskFolders;
import io.galapagos.worker.external.BundledTask;
import io.galapagos.worker.external.TaskBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs a finished run again from what its journal recorded: every island gets the proposals it got the
 * first time (no model is called, no mutation is drawn), every candidate is evaluated again, and the
 * two histories are compared to the last bit of every score. The run may be read from a run folder or
 * from a cluster's database; the replay always runs on this machine's embedded node, into a new folder.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run a finished run (of --out, or of the cluster's database with --cluster and --run-id) again "
                + "on this machine from its recorded proposals and check that it reproduces itself.")
public final class ReplayCommand implements Callable<Integer> {

    /** The exit code of a replay that did not reproduce its recording. */
    static final int EXIT_DIVERGED = 1;

    @CommandLine.Mixin
    RunPlace place = new RunPlace();

    @Option(names = "--into", paramLabel = "DIR", description = "where the replay runs (default: <DIR>-replay, or "
            + "with --cluster galapagos-out/<run id>-replay); must hold no run")
    Optional<Path> into = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path replayDir;
        String source;
        String runId;
        RunHistory recorded;
        RunSettings settings;
        Config config;
        RunTask task;
        Optional<Path> savedConfig = Optional.empty();
        Optional<TaskBundle> bundle = Optional.empty();
        RunFolderLock lock;
        try {
            Config recordedConfig;
            if (place.isCluster()) {
                String id = place.runId().orElseThrow(() ->
                        new IllegalArgumentException("--cluster needs --run-id: which run to replay"));
                recordedConfig = place.clusterConfig();
                source = "run '" + id + "'";
                replayDir = into.map(p -> p.toAbsolutePath().normalize())
                        .orElseGet(() -> Path.of("galapagos-out", id + "-replay").toAbsolutePath().normalize());
                recorded = StoredRun.read(recordedConfig, id);
                settings = recorded.settings().orElseThrow(() -> new IllegalArgumentException(
                        "run not found: the cluster's database holds no run '" + id + "'"));
                if (recorded.completion().isEmpty()) {
                    throw new IllegalArgumentException("run '" + id + "' has not completed: finish it with "
                            + "'galapagos resume --cluster ... --run-id " + id + "', then replay it");
                }
                runId = id;
                // the replay runs on this machine's embedded node, into its own folder: never the cluster's database
                config = EmbeddedNode.config(replayDir, Optional.empty(), localJournal(replayDir));
            } else {
                Path recordedDir = place.folder("missing --out (or --cluster with --run-id)");
                runId = RunSession.RUN_ID;
                source = recordedDir.toString();
                replayDir = into.map(p -> p.toAbsolutePath().normalize())
                        .orElseGet(() -> recordedDir.resolveSibling(recordedDir.getFileName() + "-replay"));
                RunFolderLock.checkFree(recordedDir);
                recordedConfig = ResumeCommand.storedRunConfig(recordedDir, ConfigFactory.empty());
                try {
                    recorded = ResumeCommand.showHistory(recordedDir);
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException(recordedDir + " holds a journal that cannot be read: " + e.getMessage());
                }
                settings = recorded.settings().orElseThrow(() -> new IllegalArgumentException(recordedDir
                        + " holds no started run"));
                if (recorded.completion().isEmpty()) {
                    throw new IllegalArgumentException("the run in " + recordedDir + " has not completed: finish it with "
                            + "'galapagos resume --out " + recordedDir + "', then replay it");
                }
                if (replayDir.equals(recordedDir)) {
                    throw new IllegalArgumentException(replayDir + " already holds a run: choose another --into");
                }
                savedConfig = ResumeCommand.savedConfig(recordedDir);
                config = EmbeddedNode.config(replayDir, savedConfig, ConfigFactory.empty());
            }
            if (Files.exists(replayDir.resolve("journal"))) {
                throw new IllegalArgumentException(replayDir + " already holds a run: choose another --into");
            }
            task = RunTask.stored(recordedConfig, settings.taskId());
            if (BundledTask.bundleHash(settings.taskId()).isPresent()) {
                // the folder the recording carried, packed again: the same content gives the same task id
                TaskBundle packed = TaskFolders.pack(config, TaskFolders.load(recordedConfig, settings.taskId()).orElseThrow());
                if (!BundledTask.bundleHash(settings.taskId()).get().equals(packed.hash())) {
                    throw new IllegalArgumentException("the task folder of " + source + " does not pack to the same "
                            + "content again (" + packed.hash() + "): it cannot be replayed");
                }
                bundle = Optional.of(packed);
            }
            Files.createDirectories(replayDir);
            if (savedConfig.isPresent()) {
                Files.copy(savedConfig.get(), replayDir.resolve("galapagos.conf"), StandardCopyOption.REPLACE_EXISTING);
            }
            lock = RunFolderLock.acquire(replayDir);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos replay: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        } catch (IllegalStateException e) {
            // the cluster's database cannot be reached or read
            spec.commandLine().getErr().println("galapagos replay: " + e.getMessage());
            return Galapagos.EXIT_FAILED;
        }
        Optional<TaskBundle> carried = bundle;
        int exit;
        try (lock) {
            exit = RunCommand.execute(config, replayDir, task, runId, session -> {
                carried.ifPresent(b -> TaskFolders.put(config, b));
                return session.start(settings);
            }, Optional.empty(), NodeParts.standard().withGenerators(RecordedProposals.of(recorded).generators()),
                    spec.commandLine());
        }
        if (exit != 0) {
            return exit;
        }
        // a cluster run keeps its id in the replay's journal
        RunHistory replayed = place.isCluster()
                ? StoredRun.read(EmbeddedNode.storeConfig(replayDir, Optional.empty(), false), runId)
                : ResumeCommand.showHistory(replayDir);
        ReplayCheck check = ReplayCheck.compare(recorded, replayed);
        if (check.divergence().isPresent()) {
            spec.commandLine().getErr().println("galapagos replay: the replay diverged from the recording: "
                    + check.divergence().get() + " (replay in " + replayDir + ")");
            return EXIT_DIVERGED;
        }
        spec.commandLine().getOut().printf("replay: reproduced %d candidates and %d failed proposals of %s exactly "
                        + "(code, parents, statuses, scores and metrics to the last bit)%n", check.candidates(),
                check.failedProposals(), source);
        return 0;
    }

    /** The journal of the replay's own folder, over whatever store a configuration names. */
    private static Config localJournal(Path replayDir) {
        return ConfigFactory.parseMap(Map.of("galapagos.store.url", EmbeddedNode.journalUrl(replayDir),
                "galapagos.store.user", "sa", "galapagos.store.password", "", "galapagos.store.password-env", ""));
    }
}
