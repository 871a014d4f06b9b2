package io.galapagos.deploy;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code galapagos} command in this JVM and keeps what it printed, for tests of its commands. */
public final class CliRun {

    /** The exit code and everything the command printed to its out and err writers. */
    public record Outcome(int exitCode, String out, String err) {
    }

    private CliRun() {
    }

    public static Outcome galapagos(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the command line main builds for these arguments: status, best and tasks get their quick root
        CommandLine cli = Galapagos.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Outcome(cli.execute(args), out.toString(), err.toString());
    }
}
