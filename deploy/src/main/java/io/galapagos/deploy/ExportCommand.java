package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StoredRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code galapagos export}: a run's outputs written afresh from its journal into another folder (the
 * best program, the tables, the picture and page, every candidate's code and {@code candidates.jsonl},
 * the history as JSON lines), from a folder or from a cluster's database; also while the run goes on.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a run's outputs and its history as JSON lines into --to, from --out or from the "
                + "cluster's database (--cluster with --run-id); reads the database only.")
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Mixin
    RunPlace place = new RunPlace();

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "where the outputs go (must not hold a run)")
    Path to;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path target = to.toAbsolutePath().normalize();
        RunHistory history;
        RunTask task;
        Optional<Path> summary = Optional.empty();
        try {
            if (Files.exists(target.resolve("journal"))) {
                throw new IllegalArgumentException(target + " holds a run: export into another folder");
            }
            if (place.isCluster()) {
                String runId = place.runId().orElseThrow(() ->
                        new IllegalArgumentException("--cluster needs --run-id: which run to export"));
                Config config = place.clusterConfig();
                history = StoredRun.read(config, runId);
                if (history.settings().isEmpty()) {
                    throw new IllegalArgumentException("run not found: the cluster's database holds no run '" + runId + "'");
                }
                task = RunTask.stored(config, history.settings().get().taskId());
            } else {
                Path outDir = place.folder("missing --out (or --cluster with --run-id)");
                if (outDir.equals(target)) {
                    throw new IllegalArgumentException("--to is the run's own folder: export into another one");
                }
                history = RunPlace.folderHistory(outDir);
                if (history.settings().isEmpty()) {
                    throw new IllegalArgumentException(outDir + " holds no started run");
                }
                Config config = ResumeCommand.storedRunConfig(outDir, ConfigFactory.empty());
                task = RunTask.stored(config, history.settings().get().taskId());
                summary = Optional.of(outDir.resolve(RunComparison.FILE)).filter(Files::isRegularFile);
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos export: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("galapagos export: " + e.getMessage());
            return Galapagos.EXIT_FAILED;
        }
        try {
            Files.createDirectories(target);
            if (summary.isPresent()) {
                // the baselines of the run's last summary, for the picture and the page
                Files.copy(summary.get(), target.resolve(RunComparison.FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("galapagos export: cannot write " + target + ": " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        task.writeOutputs(target, history);
        CandidateLog.open(target, task.programExtension()).append(history);
        spec.commandLine().getOut().printf("exported %d candidates (%d failed proposals) of run %s to %s%n",
                history.candidates().size(), history.failedProposals(),
                history.settings().get().runId(), target);
        return 0;
    }
}
