package io.galapagos.deploy.bench;

import com.typesafe.config.ConfigUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A long run of the embedded node under watch: {@code galapagos run} (or, engine only, {@code galapagos bench
 * instant run}) in a child JVM with a budget it will not reach, sampled at a fixed interval (evaluations and
 * table sizes from its journal, its heap after a full collection, its resident memory and its sandbox's),
 * and its controller killed with SIGKILL and resumed once after the first sample and once at the end, each
 * time timed from the kill to the first evaluation the resumed process journals.
 */
public final class SoakBenchmark {

    /**
     * @param slots      worker slots; empty: the node's default (one per core)
     * @param config     a HOCON file the run reads under the bench's own settings
     * @param heap       the run's heap, all of it committed and touched at its start (-Xms, -Xmx, AlwaysPreTouch);
     *                   empty: the JVM's default, as the launcher leaves it for {@code run}
     * @param folder     where the run's folder ({@code run/}) and the output of each process go
     * @param engineOnly the run proposes and evaluates instantly ({@code bench instant run}): no offline engine,
     *                   no sandbox, the engine alone at its own pace
     */
    public record Setup(String taskId, Duration duration, Duration sampleEvery, int islands, Optional<Integer> slots,
                        Optional<Path> config, Optional<String> heap, Path folder, boolean engineOnly) {

        /** The command that starts ({@code run}) or continues ({@code resume}) the run in the child JVM. */
        List<String> command(String verb, List<String> arguments) {
            List<String> command = new ArrayList<>(engineOnly ? List.of("bench", "instant", verb) : List.of(verb));
            command.addAll(arguments);
            return command;
        }
    }

    /** One look at the run, {@code minute} minutes after it was started. */
    public record Sample(double minute, long evaluations, double perMinute, double heapMb, double rssMb,
                         double sandboxRssMb, long journalRows, double journalMb, long snapshotRows,
                         double largestSnapshotKb, double databaseMb) {
    }

    /**
     * A kill and resume of the controller at {@code minute}.
     *
     * @param journalSeconds from the kill until the resumed process held the journal again
     * @param seconds        from the kill until the resumed run journalled its first evaluation
     */
    public record Recovery(double minute, long evaluationsBefore, double journalSeconds, double seconds) {
    }

    /**
     * How a figure moved from the first third of the samples to the last third: their means and the change per
     * hour between the middle times of the two thirds.
     */
    public record Growth(double firstThirdMb, double lastThirdMb, double mbPerHour) {
        /** A figure is flat when its last third stays within 10% (at least 16 MB) of its first third. */
        static final double FLAT_SHARE = 0.10;
        static final double FLAT_MB = 16;

        /** Empty with fewer than three samples: a third needs one at least. */
        public static Optional<Growth> of(List<Sample> samples, ToDoubleFunction<Sample> figure) {
            List<Sample> known = samples.stream().filter(s -> !Double.isNaN(figure.applyAsDouble(s))).toList();
            int third = known.size() / 3;
            if (third == 0) {
                return Optional.empty();
            }
            List<Sample> first = known.subList(0, third);
            List<Sample> last = known.subList(known.size() - third, known.size());
            double firstMb = mean(first, figure);
            double lastMb = mean(last, figure);
            double hours = (mean(last, Sample::minute) - mean(first, Sample::minute)) / 60;
            return Optional.of(new Growth(firstMb, lastMb, hours > 0 ? (lastMb - firstMb) / hours : 0));
        }

        public boolean flat() {
            return lastThirdMb <= firstThirdMb + Math.max(FLAT_MB, FLAT_SHARE * firstThirdMb);
        }

        private static double mean(List<Sample> samples, ToDoubleFunction<Sample> figure) {
            return samples.stream().mapToDouble(figure).average().orElse(Double.NaN);
        }
    }

    /** What the bench saw; the folder keeps the run and the output of every process. */
    public record Report(List<Sample> samples, List<Recovery> recoveries, double startSeconds) {
        public Optional<Growth> heap() {
            return Growth.of(samples, Sample::heapMb);
        }

        public Optional<Growth> rss() {
            return Growth.of(samples, Sample::rssMb);
        }
    }

    /** Told of each sample and recovery as it happens, so that a long soak shows its table while it runs. */
    public interface Listener {
        void started(double seconds);

        void sampled(Sample sample);

        void recovered(Recovery recovery);
    }

    /** The run's iteration budget: far beyond what a soak evaluates, so the run never completes by itself. */
    static final long BUDGET = 1_000_000_000L;
    /** The longest the bench waits for a (re)started run to journal an evaluation. */
    static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final double MB = 1024.0 * 1024.0;

    private final Setup setup;
    private final Listener listener;
    private final Path runFolder;
    private final JournalFigures journal;
    private Process run;
    private boolean stopped;
    private long runStartedMillis;
    private int processes;
    private Optional<HeapProbe> heapProbe = Optional.empty();

    public SoakBenchmark(Setup setup, Listener listener) {
        this.setup = setup;
        this.listener = listener;
        this.runFolder = setup.folder().resolve("run");
        this.journal = new JournalFigures(runFolder);
    }

    /** Runs the soak; the run's process is killed at the end, leaving a folder that {@code resume} continues. */
    public Report soak() throws Exception {
        // a bench ended by SIGTERM runs no finally block: without the hook its run would go on for ever
        Thread hook = new Thread(this::killRun, "soak-bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return watch();
        } finally {
            heapProbe.ifPresent(HeapProbe::close);
            killRun();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }

    /** Ends the run's process; no process starts after it (the hook may come between a kill and a resume). */
    private synchronized void killRun() {
        stopped = true;
        if (run != null && run.isAlive()) {
            try {
                GalapagosProcess.kill(run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Report watch() throws Exception {
        Path config = writeConfig();
        start("run", List.of("--task", setup.taskId(), "--iterations", String.valueOf(BUDGET), "--islands",
                String.valueOf(setup.islands()), "--out", runFolder.toString(), "--no-http", "--config", config.toString()));
        long soakStart = runStartedMillis;
        long first = awaitEvaluationAfter(soakStart);
        listener.started((first - soakStart) / 1000.0);

        List<Sample> samples = new ArrayList<>();
        List<Recovery> recoveries = new ArrayList<>();
        long next = soakStart + setup.sampleEvery().toMillis();
        long end = soakStart + setup.duration().toMillis();
        while (true) {
            waitUntil(next);
            Sample sample = sample(soakStart, samples.isEmpty() ? Optional.empty() : Optional.of(samples.get(samples.size() - 1)));
            samples.add(sample);
            listener.sampled(sample);
            if (samples.size() == 1) {
                recoveries.add(recover(soakStart, sample.evaluations()));
                listener.recovered(recoveries.get(recoveries.size() - 1));
            }
            if (next >= end) {
                break;
            }
            // a sample time that a recovery took up is skipped, not made up for with samples in a row
            do {
                next = Math.min(next + setup.sampleEvery().toMillis(), end);
            } while (next < end && next <= System.currentTimeMillis());
        }
        recoveries.add(recover(soakStart, samples.get(samples.size() - 1).evaluations()));
        listener.recovered(recoveries.get(recoveries.size() - 1));
        return new Report(samples, recoveries, (first - soakStart) / 1000.0);
    }

    /** The bench's settings for the run, over the user's file: the worker's slots when given. */
    private Path writeConfig() throws IOException {
        StringBuilder text = new StringBuilder("# written by galapagos bench soak\n");
        if (setup.config().isPresent()) {
            text.append("include file(").append(ConfigUtil.quoteString(setup.config().get().toAbsolutePath().toString()))
                    .append(")\n");
        }
        setup.slots().ifPresent(slots -> text.append("galapagos.worker.slots = ").append(slots).append('\n'));
        Files.createDirectories(setup.folder());
        Path file = setup.folder().resolve("soak.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private synchronized void start(String verb, List<String> arguments) throws IOException {
        if (stopped) {
            throw new IllegalStateException("the bench is stopping");
        }
        // a heap of its full size from the start, its pages touched: the run's RSS then shows what grows beside the
        // heap (metaspace, threads, buffers), not the collector committing more of the heap as it goes
        List<String> jvm = setup.heap().map(heap -> List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"))
                .orElse(List.of());
        String name = (++processes) + "-" + verb;
        runStartedMillis = System.currentTimeMillis();
        run = new ProcessBuilder(GalapagosProcess.command(jvm, setup.command(verb, arguments)))
                .redirectOutput(setup.folder().resolve(name + ".out").toFile())
                .redirectError(setup.folder().resolve(name + ".err").toFile())
                .start();
    }

    /** Kills the run's process, resumes the run in a new one and times its way back to evaluating. */
    private Recovery recover(long soakStart, long evaluationsBefore) throws Exception {
        heapProbe.ifPresent(HeapProbe::close);
        heapProbe = Optional.empty();
        long kill = System.currentTimeMillis();
        GalapagosProcess.kill(run);
        start("resume", List.of("--out", runFolder.toString(), "--no-http"));
        long[] journalBack = {0};
        Optional<Long> first = poll(kill, c -> {
            if (journalBack[0] == 0) {
                journalBack[0] = System.currentTimeMillis();
            }
            return journal.firstEvaluationAfter(c, kill);
        });
        if (first.isEmpty()) {
            throw new IllegalStateException("the resumed run journalled no evaluation within "
                    + START_LIMIT.toMinutes() + " minutes of the kill; its output: " + output());
        }
        return new Recovery((kill - soakStart) / 60_000.0, evaluationsBefore, (journalBack[0] - kill) / 1000.0,
                (first.get() - kill) / 1000.0);
    }

    /** When the run first journals an evaluation after {@code afterMillis}. */
    private long awaitEvaluationAfter(long afterMillis) throws Exception {
        return poll(System.currentTimeMillis(), c -> journal.firstEvaluationAfter(c, afterMillis))
                .orElseThrow(() -> new IllegalStateException("the run journalled no evaluation within "
                        + START_LIMIT.toMinutes() + " minutes; its output: " + output()));
    }

    /** A read of the run's journal: empty while what it waits for has not happened. */
    private interface JournalRead<T> {
        Optional<T> read(Connection connection) throws Exception;
    }

    /**
     * Reads the run's journal every {@code POLL} until {@code read} answers, for at most
     * {@code START_LIMIT} from {@code fromMillis}, while the run stays alive. The run is another
     * process that notifies this one of nothing, so this polls.
     */
    private <T> Optional<T> poll(long fromMillis, JournalRead<T> read) throws Exception {
        long deadline = fromMillis + START_LIMIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            checkAlive();
            Optional<Connection> connection = journal.open(run.pid(), runStartedMillis);
            if (connection.isPresent()) {
                try (Connection c = connection.get()) {
                    Optional<T> found = read.read(c);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return Optional.empty();
    }

    /** Waits for the next sample's time; the run must stay alive meanwhile. */
    private void waitUntil(long millis) throws InterruptedException {
        while (true) {
            checkAlive();
            long left = millis - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, 1000));
        }
    }

    private Sample sample(long soakStart, Optional<Sample> previous) throws Exception {
        long at = System.currentTimeMillis();
        double heap = heapMb();
        double rss = rssMb(run.toHandle());
        // an engine-only run has no sandbox: its column says so rather than 0
        double sandbox = setup.engineOnly() ? Double.NaN
                : run.descendants().mapToDouble(SoakBenchmark::rssMb).filter(mb -> !Double.isNaN(mb)).sum();
        JournalFigures.Totals totals = totals();
        double minute = (at - soakStart) / 60_000.0;
        double perMinute = previous.map(p -> (totals.evaluations() - p.evaluations()) / (minute - p.minute()))
                .orElse(totals.evaluations() / minute);
        return new Sample(minute, totals.evaluations(), perMinute, heap, rss, sandbox, totals.journalRows(),
                totals.journalBytes() / MB, totals.snapshotRows(), totals.largestSnapshotBytes() / 1024.0,
                totals.fileBytes() / MB);
    }

    /** The journal's figures; the run holds its journal between recoveries, so this waits only in a rare race. */
    private JournalFigures.Totals totals() throws Exception {
        return poll(System.currentTimeMillis(), c -> Optional.of(journal.read(c))).orElseThrow(() ->
                new SQLException("the run's journal could not be read for " + START_LIMIT.toMinutes() + " minutes"));
    }

    /** The run's heap after a full collection in MB; NaN when its JVM cannot be attached to. */
    private double heapMb() {
        try {
            if (heapProbe.isEmpty()) {
                heapProbe = Optional.of(HeapProbe.attach(run.pid()));
            }
            return heapProbe.get().heapAfterGc() / MB;
        } catch (IOException | RuntimeException e) {
            heapProbe.ifPresent(HeapProbe::close);
            heapProbe = Optional.empty();
            return Double.NaN;
        }
    }

    /** Resident memory of a process in MB (VmRSS of /proc/PID/status); NaN when it is gone or not Linux. */
    static double rssMb(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip()) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended between the listing and the read
        }
        return Double.NaN;
    }

    private synchronized void checkAlive() {
        if (stopped) {
            throw new IllegalStateException("the bench was stopped; the run's folder is resumable: " + runFolder);
        }
        if (!run.isAlive() && run.exitValue() == 0) {
            // islands stop after galapagos.islands.max-failed-proposals-in-a-row, e.g. when every child repeats a program
            throw new IllegalStateException("the run completed by itself: its islands stopped proposing (see "
                    + runFolder.resolve("galapagos.log") + "); a soak needs a task whose search keeps finding new programs");
        }
        if (!run.isAlive()) {
            throw new IllegalStateException("the run's process ended by itself (exit " + run.exitValue()
                    + "); its output: " + output());
        }
    }

    private Path output() {
        return setup.folder().resolve(processes + "-" + (processes == 1 ? "run" : "resume") + ".err");
    }
}
