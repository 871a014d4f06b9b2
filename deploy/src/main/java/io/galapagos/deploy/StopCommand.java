package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.ClusterClient;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.StoredRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code galapagos stop}: a graceful stop of a run that goes on. Its islands propose nothing more and
 * finish the candidates in flight, then the run completes with the reason given; {@code resume} can
 * continue it later. On a cluster the command asks the run itself; for a run folder it leaves a request
 * that the process following the run (an embedded {@code run}/{@code resume}, or a cluster client
 * writing that folder) passes on.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a run gracefully: its islands finish what is in flight, then it completes "
                + "(--out DIR of a run in progress here, or --cluster with --run-id).")
public final class StopCommand implements Callable<Integer> {

    /** Longest reason kept: it is journalled and shown on one line. */
    static final int MAX_REASON = 200;

    @CommandLine.Mixin
    RunPlace place = new RunPlace();

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, journalled as the run's completion reason "
            + "(default: " + RunSession.OPERATOR_STOP + ")")
    String reason = RunSession.OPERATOR_STOP;

    @Option(names = "--wait", paramLabel = "DURATION", description = "with --out: how long to wait for the process "
            + "that runs the folder to take the request (default: 30s)")
    String wait = "30s";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            String why = reason.strip();
            if (why.isEmpty() || why.length() > MAX_REASON || why.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("--reason must be one line of 1 to " + MAX_REASON + " characters");
            }
            return place.isCluster() ? stopOnCluster(why) : stopFolder(why);
        } catch (IllegalArgumentException e) {
            err.println("galapagos stop: " + e.getMessage());
            err.flush();
            return Galapagos.EXIT_USAGE;
        } catch (IllegalStateException e) {
            err.println("galapagos stop: " + ClusterClient.oneLine(String.valueOf(e.getMessage())));
            err.flush();
            return Galapagos.EXIT_FAILED;
        }
    }

    private int stopFolder(String why) throws IOException, InterruptedException {
        Path outDir = place.folder("missing --out (or --cluster with --run-id)");
        Duration patience = ClusterOptions.duration("--wait", wait);
        if (!Files.isDirectory(outDir)) {
            throw new IllegalArgumentException(outDir + " is not a run folder");
        }
        if (!RunFolderLock.held(outDir)) {
            throw new IllegalArgumentException("no process runs " + outDir + ": nothing to stop (continue it with "
                    + "galapagos resume --out " + outDir + ")");
        }
        Path request = outDir.resolve(RunSession.STOP_REQUEST);
        Path partial = outDir.resolve(RunSession.STOP_REQUEST + ".partial");
        long deadline = System.nanoTime() + patience.toNanos();
        try (WatchService watch = outDir.getFileSystem().newWatchService()) {
            // watched before the request exists, so that its removal cannot come unseen
            outDir.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            Files.writeString(partial, why + "\n");
            Files.move(partial, request, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            while (Files.exists(request)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    Files.deleteIfExists(request);
                    throw new IllegalStateException("the process running " + outDir + " did not take the stop request "
                            + "within " + io.galapagos.protocol.Durations.format(patience) + "; nothing was stopped");
                }
                WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        spec.commandLine().getOut().println("galapagos stop: the run in " + outDir + " is stopping (" + why
                + "): its islands finish what is in flight, then it completes");
        return 0;
    }

    private int stopOnCluster(String why) throws Exception {
        String runId = place.runId().orElseThrow(() -> new IllegalArgumentException("--cluster needs --run-id: which run to stop"));
        Config config = place.clusterConfig();
        RunHistory history = StoredRun.read(config, runId);
        if (history.settings().isEmpty()) {
            throw new IllegalArgumentException("run not found: the cluster's database holds no run '" + runId + "'");
        }
        if (history.phase() == RunStatus.Phase.COMPLETED) {
            spec.commandLine().getOut().println("galapagos stop: run '" + runId + "' has already completed ("
                    + history.completion().orElse("completed") + ")");
            return 0;
        }
        try (ClusterClient client = ClusterClient.join(config)) {
            PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            RunStatus status = client.session(runId, Path.of("."), quiet).stop(why);
            spec.commandLine().getOut().println("galapagos stop: run '" + runId + "' is "
                    + (status.phase() == RunStatus.Phase.COMPLETED ? "completed" : "stopping") + " ("
                    + status.reason().orElse(why) + "): its islands finish what is in flight, then it completes");
            return 0;
        }
    }
}
