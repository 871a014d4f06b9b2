package io.galapagos.deploy;

import io.galapagos.deploy.data.AdrsManifest;
import io.galapagos.deploy.data.DataDirectory;
import io.galapagos.deploy.data.DataDirectory.FileOutcome;
import io.galapagos.deploy.data.DataDirectory.Outcome;
import io.galapagos.deploy.data.DataDirectory.Status;
import io.galapagos.deploy.data.DataDirectory.TaskOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code galapagos data}: the published ADRS workloads that {@code --data-dir} and the fidelity tests read. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Import the published ADRS workloads from a checkout of github.com/lynnliu030/ADRS, or verify a data directory.",
        subcommands = {DataCommand.Import.class, DataCommand.Verify.class, DataCommand.Manifest.class})
public final class DataCommand implements Runnable {

    /** Where {@code import} writes and {@code verify} looks unless told otherwise; the tests look there too. */
    public static final String DEFAULT_DIR = "data/adrs";
    /** Problem lines shown per task and kind before "... and N more". */
    private static final int SHOWN = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: try 'galapagos data import --help' or 'galapagos data verify --help'");
    }

    /** {@code galapagos data import --from CHECKOUT [--to DIR]}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Lay out the data directory from a checkout of the public ADRS repository, verifying every "
                    + "file's SHA-256. Exit 0 when every published file is there and verified, 1 when one is missing "
                    + "or mismatched, 2 for bad usage.")
    public static final class Import implements Callable<Integer> {

        @Option(names = "--from", required = true, paramLabel = "CHECKOUT",
                description = "a checkout of github.com/lynnliu030/ADRS (git clone https://github.com/lynnliu030/ADRS)")
        Path from;

        @Option(names = "--to", paramLabel = "DIR", description = "the data directory to write (default: ${DEFAULT-VALUE})")
        Path to = Path.of(DEFAULT_DIR);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(from)) {
                return usage(err, "galapagos data import: --from " + from + " is not a directory; clone the public "
                        + "repository first: git clone https://github.com/lynnliu030/ADRS");
            }
            if (!DataDirectory.isCheckout(from)) {
                return usage(err, "galapagos data import: --from " + from + " is not a checkout of lynnliu030/ADRS (it has no "
                        + AdrsManifest.ADRS + "); git clone https://github.com/lynnliu030/ADRS");
            }
            if (Files.exists(to) && !Files.isDirectory(to)) {
                return usage(err, "galapagos data import: --to " + to + " is a file, not a directory");
            }
            Outcome outcome;
            try {
                outcome = DataDirectory.importFrom(AdrsManifest.shipped(), from, to);
            } catch (IOException e) {
                return usage(err, "galapagos data import: cannot write " + to + " (" + e + ")");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("galapagos data import: from " + from.toAbsolutePath().normalize() + " into "
                    + to.toAbsolutePath().normalize());
            return report(out, outcome, "imported", "galapagos data import");
        }
    }

    /** {@code galapagos data verify [--data-dir DIR]}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a data directory against the shipped manifest (SHA-256 of every file). Exit 0 when "
                    + "every published file is there and verified, 1 when one is missing or mismatched, 2 for bad usage.")
    public static final class Verify implements Callable<Integer> {

        @Option(names = "--data-dir", paramLabel = "DIR", description = "the data directory (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of(DEFAULT_DIR);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dataDir)) {
                return usage(err, "galapagos data verify: --data-dir " + dataDir + " is not a directory; create it with "
                        + "'galapagos data import --from <checkout of lynnliu030/ADRS> --to " + dataDir + "'");
            }
            Outcome outcome;
            try {
                outcome = DataDirectory.verify(AdrsManifest.shipped(), dataDir);
            } catch (IOException e) {
                return usage(err, "galapagos data verify: cannot read " + dataDir + " (" + e + ")");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("galapagos data verify: " + dataDir.toAbsolutePath().normalize());
            return report(out, outcome, "verified", "galapagos data verify");
        }
    }

    /** {@code galapagos data manifest --data-dir DIR}: prints the manifest of a complete data directory. */
    @Command(name = "manifest", hidden = true, mixinStandardHelpOptions = true,
            description = "Print the manifest (target, SHA-256, size, origin) of a complete data directory, to "
                    + "regenerate " + AdrsManifest.RESOURCE + ".")
    public static final class Manifest implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "a complete data directory")
        Path dataDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dataDir)) {
                return usage(spec.commandLine().getErr(), "galapagos data manifest: --data-dir " + dataDir + " is not a directory");
            }
            try {
                spec.commandLine().getOut().print(AdrsManifest.generate(dataDir).text());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IOException e) {
                return usage(spec.commandLine().getErr(), "galapagos data manifest: cannot read " + dataDir + " (" + e + ")");
            }
        }
    }

    private static int usage(PrintWriter err, String line) {
        err.println(line);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }

    /** One line per task, the first few problems of each kind under it, and a closing verdict. */
    private static int report(PrintWriter out, Outcome outcome, String verb, String command) {
        for (TaskOutcome task : outcome.tasks()) {
            out.println(task.summary(verb));
            details(out, task.with(Status.MISSING), "missing");
            details(out, task.with(Status.MISMATCHED), "mismatched");
        }
        long verified = outcome.count(Status.VERIFIED);
        long missing = outcome.count(Status.MISSING);
        long mismatched = outcome.count(Status.MISMATCHED);
        long unpublished = outcome.count(Status.UNPUBLISHED);
        String unpublishedNote = unpublished == 0 ? "" : "; " + unpublished
                + " files are not in the public repository: the tests that need them skip locally and fail under CI";
        if (outcome.complete()) {
            out.println(command + ": " + verified + " files present and verified" + unpublishedNote);
            out.flush();
            return 0;
        }
        out.println(command + ": incomplete: " + missing + " missing, " + mismatched + " mismatched, " + verified
                + " verified" + unpublishedNote);
        out.flush();
        return Galapagos.EXIT_FAILED;
    }

    private static void details(PrintWriter out, List<FileOutcome> files, String what) {
        files.stream().limit(SHOWN).forEach(f -> out.println("  " + what + " " + f.entry().target() + ": " + f.note()));
        if (files.size() > SHOWN) {
            out.println("  ... and " + (files.size() - SHOWN) + " more " + what);
        }
    }
}
