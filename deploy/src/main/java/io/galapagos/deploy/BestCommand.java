package io.galapagos.deploy;

import io.galapagos.controller.report.RunHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code galapagos best}: prints the best program of a run. */
@Command(name = "best", mixinStandardHelpOptions = true, description = "Print the best program of a run.")
public final class BestCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output directory of the run")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RunHistory history;
        try {
            history = ResumeCommand.showHistory(out.toAbsolutePath().normalize());
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("galapagos best: " + out.toAbsolutePath().normalize()
                    + " holds a journal that cannot be read (" + e.getMessage() + "): it is empty or damaged");
            return Galapagos.EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("galapagos best: " + e.getMessage());
            return Galapagos.EXIT_USAGE;
        }
        if (history.best().isEmpty()) {
            spec.commandLine().getErr().println("galapagos best: no candidate of this run has been evaluated successfully yet");
            return Galapagos.EXIT_FAILED;
        }
        spec.commandLine().getOut().print(history.best().get().code());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
