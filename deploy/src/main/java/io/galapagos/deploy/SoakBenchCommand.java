package io.galapagos.deploy;

import io.galapagos.controller.run.DurationText;
import io.galapagos.deploy.bench.SoakBenchmark;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.noop.NoopTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code galapagos bench soak}: a long run of the embedded node, sampled at a fixed interval for evaluations,
 * heap after GC, resident memory and journal sizes, with a SIGKILL and resume of its process after the first
 * sample and at the end, so that a reader sees whether memory stays flat and recovery keeps its time.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "A long embedded run sampled for evaluations, heap, RSS and journal sizes; its controller killed"
                + " and resumed after the first sample and at the end.")
public final class SoakBenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--task", defaultValue = "noop", description = "a built-in task. Default: ${DEFAULT-VALUE}.")
    private String task;

    @Option(names = "--duration", defaultValue = "30m", paramLabel = "DURATION",
            description = "how long the run is watched: 45m, 2h, 90s. Default: ${DEFAULT-VALUE}.")
    private String duration;

    @Option(names = "--sample-every", defaultValue = "60s", paramLabel = "DURATION",
            description = "time between two samples. Default: ${DEFAULT-VALUE}.")
    private String sampleEvery;

    @Option(names = "--islands", defaultValue = "4", description = "islands of the run. Default: ${DEFAULT-VALUE}.")
    private int islands;

    @Option(names = "--slots", description = "worker slots (galapagos.worker.slots); default: the node's, one per core")
    private Optional<Integer> slots = Optional.empty();

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file the run reads (galapagos.* and pekko.*)")
    private Optional<Path> config = Optional.empty();

    @Option(names = "--heap", paramLabel = "SIZE", description = "the run's heap (e.g. 512m), committed and touched"
            + " at its start (-Xms, -Xmx, -XX:+AlwaysPreTouch) so that RSS shows what grows beside it; default: the JVM's")
    private Optional<String> heap = Optional.empty();

    @Option(names = "--engine-only", description = "propose and evaluate instantly (the no-op task's constants, as"
            + " 'bench engine' does) in the same embedded run, journal and output files: the engine alone, with many"
            + " more evaluations than the offline engine and the sandbox make in the same time")
    private boolean engineOnly;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where the run's folder and each process's output go (new or empty); default: a temporary directory")
    private Optional<Path> out = Optional.empty();

    @Override
    public Integer call() throws Exception {
        Duration watched;
        Duration interval;
        try {
            watched = positive("--duration", duration);
            interval = positive("--sample-every", sampleEvery);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        if (interval.toSeconds() < 1 || watched.compareTo(interval.multipliedBy(2)) < 0) {
            return usage("--sample-every must be at least 1s and --duration at least two of them");
        }
        if (islands < 1 || slots.filter(s -> s < 1).isPresent()) {
            return usage("--islands and --slots must be positive");
        }
        if (TaskRegistry.load().find(task).isEmpty()) {
            return usage("unknown task '" + task + "' (see 'galapagos tasks')");
        }
        if (engineOnly && !task.equals(NoopTask.ID)) {
            return usage("--engine-only runs the no-op task (instant proposals are its constants), not '" + task + "'");
        }
        if (config.isPresent() && !Files.isRegularFile(config.get())) {
            return usage("config file " + config.get() + " does not exist");
        }
        if (heap.isPresent() && !heap.get().matches("[0-9]+[kKmMgG]?")) {
            return usage("bad heap size '" + heap.get() + "' (e.g. 512m, 2g)");
        }
        if (out.isPresent() && Files.exists(out.get()) && !emptyDirectory(out.get())) {
            return usage("--out " + out.get() + " is not an empty directory");
        }
        Path folder = out.orElse(Files.createTempDirectory("galapagos-bench-soak")).toAbsolutePath().normalize();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "galapagos bench soak: %s%s, %d islands, %s slots, %s watched, a sample every %s;"
                        + " folder %s%n", task, engineOnly ? " (engine only: instant proposals and evaluations)" : "", islands, slots.map(String::valueOf).orElse("default"), duration, sampleEvery,
                folder);
        console.flush();
        SoakBenchmark.Setup setup = new SoakBenchmark.Setup(task, watched, interval, islands, slots,
                config.map(Path::toAbsolutePath), heap, folder, engineOnly);
        SoakBenchmark.Report report;
        try {
            report = new SoakBenchmark(setup, new Table(console)).soak();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("galapagos bench soak: " + e.getMessage());
            return Galapagos.EXIT_FAILED;
        }
        console.println(verdict(report));
        console.flush();
        return 0;
    }

    /** The figures as they come: a header, one row per sample, one line per recovery. */
    private static final class Table implements SoakBenchmark.Listener {
        private final PrintWriter console;

        Table(PrintWriter console) {
            this.console = console;
        }

        @Override
        public void started(double seconds) {
            console.printf(Locale.ROOT, "first evaluation journalled %.1f s after the run's start%n", seconds);
            console.printf(Locale.ROOT, "%7s %11s %8s %8s %7s %8s %12s %8s %6s %9s %8s%n", "minute", "evaluations",
                    "per min", "heap MB", "RSS MB", "sandbox", "journal rows", "journal", "snaps", "largest", "file");
            console.printf(Locale.ROOT, "%7s %11s %8s %8s %7s %8s %12s %8s %6s %9s %8s%n", "", "", "", "after GC",
                    "", "RSS MB", "", "MB", "", "snap KB", "MB");
            console.flush();
        }

        @Override
        public void sampled(SoakBenchmark.Sample s) {
            console.println(row(s));
            console.flush();
        }

        @Override
        public void recovered(SoakBenchmark.Recovery r) {
            console.printf(Locale.ROOT, "recovery at minute %.1f (%d evaluated): SIGKILL, resume; journal held again"
                    + " after %.1f s, evaluating again after %.1f s%n", r.minute(), r.evaluationsBefore(),
                    r.journalSeconds(), r.seconds());
            console.flush();
        }
    }

    static String row(SoakBenchmark.Sample s) {
        return String.format(Locale.ROOT, "%7.1f %11d %8.0f %8s %7s %8s %12d %8.1f %6d %9.1f %8.1f", s.minute(),
                s.evaluations(), s.perMinute(), figure(s.heapMb()), figure(s.rssMb()), figure(s.sandboxRssMb()),
                s.journalRows(), s.journalMb(), s.snapshotRows(), s.largestSnapshotKb(), s.databaseMb());
    }

    /** The closing line: heap and RSS from the first to the last third of the samples, and each recovery. */
    static String verdict(SoakBenchmark.Report report) {
        StringBuilder line = new StringBuilder("verdict: heap after GC ").append(growth(report.heap()))
                .append("; RSS ").append(growth(report.rss())).append("; recovery (kill to evaluating again)");
        for (SoakBenchmark.Recovery r : report.recoveries()) {
            line.append(String.format(Locale.ROOT, " %.1f s at minute %.1f,", r.seconds(), r.minute()));
        }
        line.setLength(line.length() - 1);
        if (!report.samples().isEmpty()) {
            SoakBenchmark.Sample last = report.samples().get(report.samples().size() - 1);
            line.append(String.format(Locale.ROOT, "; %d evaluations in %.1f minutes", last.evaluations(), last.minute()));
        }
        return line.toString();
    }

    private static String growth(Optional<SoakBenchmark.Growth> growth) {
        return growth.map(g -> String.format(Locale.ROOT, "%.1f MB (first third) -> %.1f MB (last third), %+.1f MB/h: %s",
                g.firstThirdMb(), g.lastThirdMb(), g.mbPerHour(), g.flat() ? "flat" : "GROWING")).orElse("- (fewer than 3 samples)");
    }

    private static String figure(double mb) {
        return Double.isNaN(mb) ? "-" : String.format(Locale.ROOT, "%.1f", mb);
    }

    private static Duration positive(String flag, String text) {
        return DurationText.parseBudget(flag, text)
                .orElseThrow(() -> new IllegalArgumentException(flag + " must be a positive duration, not '" + text + "'"));
    }

    private static boolean emptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private int usage(String message) {
        spec.commandLine().getErr().println("galapagos bench soak: " + message);
        return Galapagos.EXIT_USAGE;
    }
}
