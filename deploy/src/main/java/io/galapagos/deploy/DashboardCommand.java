package io.galapagos.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.galapagos.deploy.engine.DashboardTasks;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.RunTask;
import io.galapagos.deploy.engine.StopSignals;
import io.galapagos.deploy.web.Dashboard;
import io.galapagos.deploy.web.DashboardSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Serves the dashboard of a run that is not running: a finished, stopped or crashed run's folder,
 * read from its journal until Ctrl-C. A live run serves its own.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve the dashboard of a run folder that no run is using, until Ctrl-C.")
public final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run's output directory")
    Path out;

    @CommandLine.Mixin
    DashboardOptions dashboard = new DashboardOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path outDir = out.toAbsolutePath().normalize();
        Config config;
        Optional<DashboardSettings> settings;
        RunFolderLock lock;
        try {
            RunFolderLock.checkFree(outDir);
            config = ResumeCommand.storedRunConfig(outDir, ConfigFactory.empty());
            settings = dashboard.settings(config, false);
            if (settings.isEmpty()) {
                throw new IllegalArgumentException("--no-http leaves nothing to serve");
            }
            // the journal is a one-process file: no run may start in the folder while it is served
            lock = RunFolderLock.acquire(outDir);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos dashboard: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        try (lock; StopSignals signals = StopSignals.install("galapagos dashboard: stopped", Duration.ofSeconds(5));
             DashboardTasks tasks = new DashboardTasks(taskId -> RunTask.stored(config, taskId), Optional.empty(),
                     Optional.of(outDir))) {
            // an actor system for the journal's queries only: it joins no cluster and starts no run
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "galapagos", config);
            try {
                Dashboard served;
                try {
                    served = Dashboard.start(system, settings.get(), new Dashboard.Node(Optional::empty,
                            Optional.empty(), tasks));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("galapagos dashboard: " + e.getMessage());
                    return Galapagos.EXIT_USAGE;
                }
                served.follow(RunSession.RUN_ID);
                spec.commandLine().getOut().println(served.announcement() + "; Ctrl-C stops it");
                spec.commandLine().getOut().flush();
                signals.requested().toCompletableFuture().join();
                served.close();
                return 0;
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get();
            }
        }
    }
}
