package io.galapagos.deploy;

import com.typesafe.config.Config;
import io.galapagos.controller.EngineConfig;
import io.galapagos.controller.store.Schema;
import io.galapagos.deploy.cluster.ClusterNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos db}: the journal database of a cluster. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the journal database of a cluster.",
        subcommands = DbCommand.Init.class)
public final class DbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'galapagos db init --help'");
    }

    /** {@code galapagos db init}: creates the journal tables that are missing; safe to run again. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the journal, snapshot and durable-state tables (idempotent).")
    public static final class Init implements Callable<Integer> {

        @CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--config", description = "HOCON file with galapagos.store settings")
        Optional<Path> configFile = Optional.empty();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            EngineConfig.Store target;
            Schema.Installed installed;
            try {
                Config config = ClusterNode.config(store.flags(), configFile, System::getenv);
                target = EngineConfig.from(config).store();
                installed = Schema.install(target.url(), target.user(), target.password());
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("galapagos db init: " + oneLine(e.getMessage()));
                spec.commandLine().getErr().flush();
                return Galapagos.EXIT_USAGE;
            }
            String what = installed.created().isEmpty()
                    ? "all tables were already there (" + String.join(", ", installed.present()) + ")"
                    : "created " + String.join(", ", installed.created())
                    + (installed.present().isEmpty() ? "" : "; already there: " + String.join(", ", installed.present()));
            spec.commandLine().getOut().println("galapagos db init: " + redacted(target.url()) + " (" + installed.dialect() + "): " + what);
            spec.commandLine().getOut().flush();
            return 0;
        }

        private static String redacted(String url) {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        }

        private static String oneLine(String message) {
            return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
        }
    }
}
