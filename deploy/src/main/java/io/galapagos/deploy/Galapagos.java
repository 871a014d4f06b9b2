package io.galapagos.deploy;

import com.typesafe.config.ConfigException;
import io.galapagos.deploy.engine.StopSignals;
import io.galapagos.worker.sandbox.SandboxUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;

/** The {@code galapagos} command: one entry point for runs, evaluations, nodes and benchmarks. */
@Command(name = "galapagos",
        mixinStandardHelpOptions = true,
        version = Galapagos.VERSION,
        description = "Evolutionary search for systems algorithms on an Apache Pekko cluster.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TasksCommand.class,
                EvaluateCommand.class,
                RunCommand.class,
                ResumeCommand.class,
                StatusCommand.class,
                BestCommand.class,
                RunsCommand.class,
                ExportCommand.class,
                StopCommand.class,
                DeleteCommand.class,
                DashboardCommand.class,
                ReplayCommand.class,
                NodeCommand.class,
                DbCommand.class,
                NewTaskCommand.class,
                BenchCommand.class,
                DataCommand.class
        })
public final class Galapagos implements Runnable {

    static final String VERSION = "galapagos 0.1.0";

    /** Exit code of a run or evaluation that failed. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad usage or configuration (one clear line on stderr). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the logging backend's own status lines stay off standard output, which carries the commands' JSON
        if (System.getProperty("logback.statusListenerClass") == null) {
            System.setProperty("logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
        }
        if (!readsOnly(args)) {
            // the backend starts here, on one thread, before any pool or actor system can log: a first log
            // call racing its start would be queued and replayed with three lines of warnings
            org.slf4j.LoggerFactory.getILoggerFactory();
        }
        int code;
        try {
            code = commandLine(args).execute(args);
        } catch (Error e) {
            // picocli hands errors (a missing class, no memory left) on: still one line, the trace in a file
            System.err.println("galapagos: failed: " + oneLine(e) + " (details in " + traceFile("galapagos", e) + ")");
            code = EXIT_FAILED;
        }
        if (code == StopSignals.Kind.INTERRUPT.exitCode() || code == StopSignals.Kind.TERMINATE.exitCode()) {
            // a stopped run has written its outputs and released its folder: nothing is left for the shutdown
            // hooks but the actor system's slow goodbye to a cluster of one
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /**
     * Whether the command only reads and prints on one thread ({@code status} and {@code best} of a run
     * folder, {@code tasks}, help and version): it leaves the logging backend to start when something
     * logs, which usually nothing does, and so answers a few tenths of a second sooner.
     */
    static boolean readsOnly(String[] args) {
        if (args.length == 0 || List.of(args).contains("--cluster")) {
            return false;
        }
        return List.of("status", "best", "tasks", "help", "--help", "-h", "--version", "-V").contains(args[0]);
    }

    /**
     * The command line for {@code args}: for {@code status}, {@code best}, {@code tasks} and the version, a
     * root that knows just that command, since building every command's options takes picocli longer than
     * those commands take to answer; likewise for {@code run} and {@code resume}, whose start is the wait
     * before a search begins; for anything else the whole tree of {@link #commandLine()}.
     */
    static CommandLine commandLine(String[] args) {
        boolean run = args.length > 0 && (args[0].equals("run") || args[0].equals("resume"));
        if (!readsOnly(args) && !run) {
            return commandLine();
        }
        CommandLine.Model.CommandSpec root = CommandLine.Model.CommandSpec.create().name("galapagos")
                .version(VERSION).mixinStandardHelpOptions(true);
        switch (args[0]) {
            case "run" -> root.addSubcommand("run", new CommandLine(new RunCommand()));
            case "resume" -> root.addSubcommand("resume", new CommandLine(new ResumeCommand()));
            case "status" -> root.addSubcommand("status", new CommandLine(new StatusCommand()));
            case "best" -> root.addSubcommand("best", new CommandLine(new BestCommand()));
            case "tasks" -> root.addSubcommand("tasks", new CommandLine(new TasksCommand()));
            case "--version", "-V" -> {
            }
            default -> {
                return commandLine();
            }
        }
        return configured(new CommandLine(root));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return configured(new CommandLine(new Galapagos()));
    }

    private static CommandLine configured(CommandLine cli) {
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILED);
        // bad usage is one clear line, not the whole usage help
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                    + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return EXIT_USAGE;
        });
        // a bad setting, or no jail for candidates on this machine, is a configuration problem: one line with
        // the fix, wherever it surfaces
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            Optional<RuntimeException> problem = configurationProblem(e);
            String command = failed.getCommandSpec().qualifiedName();
            if (problem.isEmpty()) {
                // never a stack trace on the console: one line, and the trace in a file it names
                failed.getErr().println(command + ": failed: " + oneLine(e) + " (details in " + traceFile(command, e) + ")");
                failed.getErr().flush();
                return EXIT_FAILED;
            }
            String message = String.valueOf(problem.get().getMessage());
            failed.getErr().println(command + ": " + message.lines().findFirst().orElse(message));
            failed.getErr().flush();
            return EXIT_USAGE;
        });
        return cli;
    }

    /** The first line of a failure's message, with its kind when the message alone would not say. */
    static String oneLine(Throwable failure) {
        Throwable shown = failure;
        while ((shown.getMessage() == null || shown.getMessage().isBlank()) && shown.getCause() != null) {
            shown = shown.getCause();
        }
        String message = shown.getMessage() == null ? "" : shown.getMessage().lines().findFirst().orElse("").strip();
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        boolean plain = shown instanceof IllegalArgumentException || shown instanceof IllegalStateException
                || shown instanceof ConfigException;
        return plain && !message.isEmpty() ? message
                : shown.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** Writes a failure's stack trace to a file of its own under the temporary directory; returns the file. */
    private static java.nio.file.Path traceFile(String command, Throwable failure) {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                command.replace(' ', '-') + "-" + ProcessHandle.current().pid() + ".log");
        java.io.StringWriter trace = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(trace));
        try {
            java.nio.file.Files.writeString(file, java.time.Instant.now() + " " + command + "\n" + trace);
        } catch (java.io.IOException e) {
            return java.nio.file.Path.of("(unwritable: " + file + ")");
        }
        return file;
    }

    static Optional<RuntimeException> configurationProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SandboxUnavailableException || t instanceof ConfigException) {
                return Optional.of((RuntimeException) t);
            }
        }
        return Optional.empty();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'galapagos --help'");
    }
}
