package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.generation.GenerationConfig;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.DurationText;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.NodeParts;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StoredRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos resume}: continues a stopped or crashed run with the settings it started with. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a stopped or crashed run (of --out, or of the cluster with --cluster and --run-id); "
                + "with --iterations or --wall-clock, extend a completed or stopped run to a new total budget.")
public final class ResumeCommand implements Callable<Integer> {

    @Option(names = "--iterations", paramLabel = "N",
            description = "the run's new TOTAL budget of proposed candidates (not additional ones): at least what it "
                    + "has already proposed")
    Optional<Long> iterations = Optional.empty();

    @Option(names = "--wall-clock", paramLabel = "DURATION",
            description = "the run's new TOTAL run-time budget over all sessions: 90m, 2h, 30s, or off")
    Optional<String> wallClock = Optional.empty();

    @Option(names = "--out", description = "output directory of the run (with --cluster: default galapagos-out/<run id>)")
    Optional<Path> out = Optional.empty();

    @CommandLine.Mixin
    ClusterOptions cluster = new ClusterOptions();

    @CommandLine.Mixin
    DashboardOptions dashboard = new DashboardOptions();

    @Option(names = "--config", description = "with --cluster: HOCON file with the cluster's settings")
    Optional<Path> configFile = Optional.empty();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code galapagos}, or {@code bench instant} whose runs propose and evaluate instantly. */
    @CommandLine.ParentCommand
    Object parent;

    @Override
    public Integer call() throws Exception {
        Optional<Long> wallClockMillis;
        NodeParts parts;
        try {
            parts = InstantRunCommand.partsUnder(parent, cluster.active());
            wallClockMillis = wallClock.map(text -> DurationText.parseBudget("--wall-clock", text)
                    .map(Duration::toMillis).orElse(0L));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        Budget budget = new Budget(iterations, wallClockMillis);
        Optional<io.galapagos.deploy.web.DashboardSettings> dashboardSettings;
        try {
            dashboardSettings = dashboard.settings(ConfigFactory.load(), cluster.active());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        if (cluster.active()) {
            return ClusterCommands.resume(cluster, configFile, out, budget, spec.commandLine());
        }
        if (out.isEmpty() || configFile.isPresent()) {
            spec.commandLine().getErr().println("galapagos resume: " + (out.isEmpty() ? "missing --out (or --cluster with --run-id)"
                    : "--config needs --cluster (an embedded run keeps its configuration under --out)"));
            return Galapagos.EXIT_USAGE;
        }
        Path outDir = out.get().toAbsolutePath().normalize();
        Config config;
        RunTask task;
        StoredRun.HeldJournal held = null;
        try {
            cluster.checkEmbedded();
            // a live run holds the journal: say who, before anything opens it
            RunFolderLock.checkFree(outDir);
            config = storedRunConfig(outDir, ConfigFactory.empty());
            dashboardSettings = dashboard.settings(config, false);
            EngineConfig.from(config);
            RunHistory history;
            try {
                // only a new evaluation budget needs the candidates (it must not fall below those proposed)
                if (budget.iterations().isPresent()) {
                    history = readHistory(outDir);
                } else {
                    held = holdRunEvents(outDir);
                    history = held.history();
                }
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(outDir + " holds a journal that cannot be read ("
                        + firstLine(e.getMessage()) + "): it is empty or damaged; start a new run with another --out");
            }
            if (history.settings().isEmpty()) {
                throw new IllegalArgumentException(outDir + " holds no started run");
            }
            task = RunTask.stored(config, history.settings().get().taskId());
            budget.check(history);
            RunCommand.preflight(history.settings().get().generation(), config);
            GenerationConfig.calls(config); // this node's call settings, which the resumed run takes: one line if bad
        } catch (IllegalArgumentException e) {
            if (held != null) {
                held.close();
            }
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        RunFolderLock lock;
        try {
            lock = RunFolderLock.acquire(outDir);
        } catch (IllegalArgumentException e) {
            if (held != null) {
                held.close();
            }
            spec.commandLine().getErr().println("galapagos resume: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        StoredRun.HeldJournal journal = held;
        // the journal read above stays open until the run has recovered through the node's own connections
        RunCommand.Begin begin = session -> {
            try {
                return budget.begin(session);
            } finally {
                if (journal != null) {
                    journal.close();
                }
            }
        };
        try (lock; journal) {
            return RunCommand.execute(config, outDir, task, begin, dashboardSettings, parts, spec.commandLine());
        }
    }

    /**
     * A new total budget for a resumed run; both empty: resume with the budget it has.
     *
     * @param wallClockMillis the new run-time budget over all sessions; 0 = no limit
     */
    record Budget(Optional<Long> iterations, Optional<Long> wallClockMillis) {

        boolean given() {
            return iterations.isPresent() || wallClockMillis.isPresent();
        }

        /** Throws {@link IllegalArgumentException} with one line when the run cannot have this budget. */
        void check(RunHistory history) {
            RunSettings settings = history.settings().orElseThrow();
            if (iterations.isPresent() && iterations.get() < history.proposed()) {
                throw new IllegalArgumentException("--iterations " + iterations.get() + " is below the "
                        + history.proposed() + " candidates the run has already proposed: give the new total budget, "
                        + "at least " + history.proposed());
            }
            if (wallClockMillis.isPresent() && wallClockMillis.get() > 0 && wallClockMillis.get() <= history.elapsedMillis()) {
                throw new IllegalArgumentException("--wall-clock " + io.galapagos.protocol.Durations.format(Duration.ofMillis(wallClockMillis.get()))
                        + " is not more than the " + io.galapagos.protocol.Durations.format(Duration.ofMillis(history.elapsedMillis()))
                        + " the run has already run: give the new total over all sessions, or off");
            }
            try {
                settings.extended(iterations, wallClockMillis).checkBudget();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--iterations: " + e.getMessage());
            }
        }

        /** Resumes the run, with this budget when one is given. */
        RunStatus begin(RunSession session) {
            return given() ? session.extend(iterations, wallClockMillis) : session.resume();
        }
    }

    /** The configuration a run in {@code outDir} was started with (its copy of the --config file). */
    static Config storedRunConfig(Path outDir, Config overrides) {
        return EmbeddedNode.config(outDir, savedConfig(outDir), overrides);
    }

    /** The run's copy of its --config file, if it had one; the folder must hold a journal. */
    static Optional<Path> savedConfig(Path outDir) {
        if (!Files.isDirectory(outDir.resolve("journal"))) {
            throw new IllegalArgumentException(outDir + " holds no run (no journal directory)");
        }
        Path saved = outDir.resolve("galapagos.conf");
        return Files.exists(saved) ? Optional.of(saved) : Optional.empty();
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
        return StoredRun.read(EmbeddedNode.storeConfig(outDir, savedConfig(outDir), false), RunSession.RUN_ID);
    }

    /**
     * The run's own events, not its islands' nor its progress reports: enough to resume it, in a time that
     * does not grow with it. The journal stays open until the answer is closed, so that the node started
     * next finds it open (see {@link StoredRun.HeldJournal}).
     */
    static StoredRun.HeldJournal holdRunEvents(Path outDir) {
        return StoredRun.holdRun(EmbeddedNode.storeConfig(outDir, savedConfig(outDir), false), RunSession.RUN_ID);
    }

    /**
     * The same for a command that only shows the history ({@code status}, {@code best}): read-only when
     * no process holds the folder, which is quicker and changes nothing; read-write if the file needs the
     * recovery only a read-write open makes (its last writer was halted mid-write).
     */
    static RunHistory showHistory(Path outDir) {
        Optional<Path> saved = savedConfig(outDir);
        try {
            return StoredRun.read(EmbeddedNode.storeConfig(outDir, saved, true), RunSession.RUN_ID);
        } catch (IllegalStateException e) {
            return StoredRun.read(EmbeddedNode.storeConfig(outDir, saved, false), RunSession.RUN_ID);
        }
    }
}
