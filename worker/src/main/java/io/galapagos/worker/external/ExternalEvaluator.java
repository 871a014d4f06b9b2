package io.galapagos.worker.external;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.BoundedLineReader;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.JailSpec;
import io.galapagos.worker.sandbox.SandboxOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Evaluates candidates of a {@link TaskDirectory} with the task's own evaluator, jailed: one slot per
 * {@link ExternalSettings#slots()}, each a thread that starts the evaluator processes it uses (bubblewrap's
 * parent-death signal follows the starting thread). In {@code once} mode a process per candidate and split;
 * in {@code warm} mode one long-lived process per slot, replaced when it crashes, times out or floods.
 *
 * <p>Every process works in a private writable copy of the task's shipped files (in a jail: a tmpfs of
 * {@code work-directory-size}), sees the candidate read-only, the interpreter's installation read-only, no
 * network and only the task's allowed environment variables.
 */
public final class ExternalEvaluator implements AutoCloseable {

    /** The working directory inside a jail: a private tmpfs that receives the copy of the task. */
    private static final Path JAILED_WORK = Path.of("/task");
    /** Files of the Python support package, copied out of the worker's resources. */
    private static final List<String> PYTHON_FILES = List.of("galapagos_openevolve.py", "openevolve/__init__.py",
            "openevolve/evaluation_result.py");
    private static final String PYTHON_RESOURCES = "/io/galapagos/worker/external/python/";
    /** The environment variable that names the data directory inside the jail. */
    public static final String DATA_DIR_VARIABLE = "GALAPAGOS_DATA_DIR";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TaskDirectory task;
    private final Jail jail;
    private final ExternalSettings settings;
    private final Path base;
    private final Path staging;
    private final Path python;
    private final Interpreter interpreter;
    private final List<Interpreter> toolchain;
    private final List<String> command;
    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    private record Job(String source, List<Split> cascade, Optional<Path> dataDirectory,
                       CompletableFuture<SandboxOutcome> result) {
    }

    private ExternalEvaluator(TaskDirectory task, Jail jail, ExternalSettings settings, Path base, Interpreter interpreter,
                              List<Interpreter> toolchain) {
        this.task = task;
        this.jail = jail;
        this.settings = settings;
        this.base = base;
        this.staging = base.resolve("task");
        this.python = base.resolve("python");
        this.interpreter = interpreter;
        this.toolchain = List.copyOf(toolchain);
        this.command = command(task, interpreter);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "external-evaluator-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Copies the task's shipped files and the Python support package to a host directory that every evaluator
     * process sees read-only, and starts the slots (warm processes start with their first candidate).
     *
     * @throws io.galapagos.worker.sandbox.SandboxUnavailableException when the interpreter is not on this worker
     */
    public static ExternalEvaluator start(TaskDirectory task, Jail jail, ExternalSettings settings) {
        Interpreter interpreter = Interpreter.resolve(task.interpreter(), task.root());
        List<Interpreter> toolchain = task.toolchain().stream().map(name -> Interpreter.resolve(name, task.root())).toList();
        Path base;
        try {
            Path parent = settings.workDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            base = Files.createTempDirectory(parent, "galapagos-external-");
            readable(base);
            Path staging = directory(base.resolve("task"));
            for (Path relative : task.shippedFiles()) {
                Path target = staging.resolve(relative.toString());
                createParents(staging, target);
                Files.copy(task.root().resolve(relative), target);
                readable(target);
            }
            Path python = directory(base.resolve("python"));
            for (String file : PYTHON_FILES) {
                Path target = python.resolve(file);
                createParents(python, target);
                try (InputStream in = ExternalEvaluator.class.getResourceAsStream(PYTHON_RESOURCES + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the worker lacks its resource " + PYTHON_RESOURCES + file);
                    }
                    Files.copy(in, target);
                }
                readable(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("staging the task " + task.id() + " failed", e);
        }
        ExternalEvaluator evaluator = new ExternalEvaluator(task, jail, settings, base, interpreter, toolchain);
        for (int i = 0; i < settings.slots(); i++) {
            Thread thread = new Thread(evaluator.new Slot(i)::serve, "external-evaluator-" + task.id() + "-" + i);
            thread.setDaemon(true);
            evaluator.threads.add(thread);
            thread.start();
        }
        return evaluator;
    }

    /**
     * Runs the splits in order, stopping at the first failure; the outcome has the score and metrics of the
     * last split evaluated.
     */
    public CompletionStage<SandboxOutcome> evaluate(String candidateSource, List<Split> cascade) {
        return evaluate(candidateSource, cascade, Optional.empty());
    }

    /**
     * As {@link #evaluate(String, List)}, with a data directory (published workloads) that the evaluator sees
     * read-only at its own absolute path, named by {@value #DATA_DIR_VARIABLE} in its environment and, in warm
     * mode, by {@code "data_dir"} in each request. A warm process serves one data directory: a request naming
     * another replaces it, because bind mounts are fixed when the jail starts.
     */
    public CompletionStage<SandboxOutcome> evaluate(String candidateSource, List<Split> cascade,
                                                    Optional<Path> dataDirectory) {
        CompletableFuture<SandboxOutcome> result = new CompletableFuture<>();
        Optional<Path> data = dataDirectory.map(d -> d.toAbsolutePath().normalize());
        Split first = cascade.isEmpty() ? Split.TRAIN : cascade.get(0);
        if (cascade.isEmpty()) {
            result.complete(failure(EvaluationStatus.SANDBOX_CRASH, "no split to evaluate", first, 0));
        } else if (candidateSource.getBytes(StandardCharsets.UTF_8).length > settings.maxSourceBytes()) {
            result.complete(failure(EvaluationStatus.REJECTED, "the candidate is larger than "
                    + settings.maxSourceBytes() + " bytes", first, 0));
        } else if (data.isPresent() && !Files.isDirectory(data.get())) {
            result.complete(failure(EvaluationStatus.SANDBOX_CRASH, "the data directory " + data.get()
                    + " is not a directory on this worker", first, 0));
        } else if (closed) {
            result.complete(failure(EvaluationStatus.SANDBOX_CRASH, "the evaluator of " + task.id() + " is closed", first, 0));
        } else {
            jobs.add(new Job(candidateSource, List.copyOf(cascade), data, result));
        }
        return result;
    }

    public int slots() {
        return settings.slots();
    }

    /** The isolation outcomes report: {@code bwrap (...)} or {@code none (...)}. */
    public String isolation() {
        return jail.description();
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Job left;
        while ((left = jobs.poll()) != null) {
            left.result().complete(failure(EvaluationStatus.SANDBOX_CRASH, "the evaluator of " + task.id()
                    + " was closed", left.cascade().get(0), 0));
        }
        timer.shutdownNow();
        EvaluatorProcess.deleteTree(base);
    }

    /** The task's command with the interpreter filled in and a first element naming a task file made {@code ./file}. */
    private static List<String> command(TaskDirectory task, Interpreter interpreter) {
        List<String> command = new ArrayList<>();
        for (String element : task.evaluatorCommand()) {
            command.add(element.replace(TaskDirectory.INTERPRETER_PLACEHOLDER, interpreter.executable().toString()));
        }
        String first = command.get(0);
        if (!first.startsWith("/") && !first.startsWith("./") && Files.isRegularFile(task.root().resolve(first))) {
            command.set(0, "./" + first);
        }
        return command;
    }

    private SandboxOutcome failure(EvaluationStatus status, String feedback, Split split, long elapsedMillis) {
        return new SandboxOutcome(status, Double.NEGATIVE_INFINITY, Map.of(), feedback, List.of(), split, isolation(),
                elapsedMillis);
    }

    /** One slot: a thread, its candidate inbox, and in warm mode its process. */
    private final class Slot {
        private final Path inbox;
        private Optional<EvaluatorProcess> warm = Optional.empty();
        /** The data directory the warm process was started with: its jail binds exactly that one. */
        private Optional<Path> warmData = Optional.empty();
        private int served;

        Slot(int index) {
            try {
                this.inbox = directory(base.resolve("slot-" + index));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void serve() {
            try {
                while (!closed) {
                    Job job = jobs.take();
                    long started = System.nanoTime();
                    SandboxOutcome outcome;
                    try {
                        outcome = run(job, started);
                    } catch (RuntimeException | IOException e) {
                        outcome = failure(EvaluationStatus.SANDBOX_CRASH, "the evaluator could not be run: "
                                + EvaluatorReply.capped(String.valueOf(e.getMessage()), 500), job.cascade().get(0),
                                millisSince(started));
                        retire();
                    }
                    job.result().complete(outcome);
                }
            } catch (InterruptedException e) {
                // closing
            } finally {
                retire();
            }
        }

        private SandboxOutcome run(Job job, long started) throws IOException {
            Path directory = Files.createTempDirectory(inbox, "candidate-");
            readable(directory);
            Path candidate = directory.resolve(task.programFileName());
            Files.writeString(candidate, job.source(), StandardCharsets.UTF_8);
            readable(candidate);
            try {
                SandboxOutcome outcome = null;
                for (Split split : job.cascade()) {
                    outcome = task.mode() == TaskDirectory.Mode.WARM ? warm(candidate, split, job.dataDirectory(), started)
                            : once(candidate, split, job.dataDirectory(), started);
                    if (!outcome.succeeded()) {
                        break;
                    }
                }
                return outcome;
            } finally {
                EvaluatorProcess.deleteTree(directory);
            }
        }

        /**
         * Kills the process at the task's timeout, after marking the evaluation expired: the kill is what ends
         * the reading, so the mark is set before anyone can see the end (a future's cancel cannot tell a
         * deadline still running from one that never ran).
         */
        private ScheduledFuture<?> deadline(EvaluatorProcess process, AtomicBoolean expired) {
            return timer.schedule(() -> {
                expired.set(true);
                process.kill();
            }, task.timeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private SandboxOutcome once(Path candidate, Split split, Optional<Path> data, long started) throws IOException {
            EvaluatorProcess process = startProcess(List.of(candidate.toString(), split.name()), data);
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> deadline = deadline(process, expired);
            try {
                Optional<BoundedLineReader.Line> last = Optional.empty();
                Optional<BoundedLineReader.Line> line;
                while ((line = process.nextLine()).isPresent()) {
                    if (line.get().text().isBlank() && !line.get().truncated()) {
                        continue;
                    }
                    last.ifPresent(process::note);
                    last = line;
                }
                deadline.cancel(false);
                boolean timedOut = expired.get() && !process.flooded();
                Optional<Integer> exit = process.exitCode();
                if (timedOut) {
                    return timeout(process, split, started);
                }
                if (process.flooded()) {
                    return flooded(process, split, started);
                }
                Optional<ObjectNode> result = last.filter(l -> !l.truncated()).flatMap(l -> EvaluatorReply.object(l.text()));
                if (result.isPresent()) {
                    return outcome(result.get(), process, split, started);
                }
                last.ifPresent(process::note);
                return noResult(process, exit, split, started, last.filter(BoundedLineReader.Line::truncated).isPresent());
            } finally {
                deadline.cancel(false);
                process.kill();
            }
        }

        private SandboxOutcome warm(Path candidate, Split split, Optional<Path> data, long started) throws IOException {
            if (warm.isEmpty() || !warm.get().alive() || served >= settings.maxEvaluationsPerProcess()
                    || !warmData.equals(data)) {
                retire();
                warm = Optional.of(startProcess(List.of(), data));
                warmData = data;
            }
            EvaluatorProcess process = warm.get();
            process.clearLog();
            served++;
            String id = HexFormat.of().formatHex(bytes());
            Map<String, String> request = new LinkedHashMap<>();
            request.put("id", id);
            request.put("candidate", candidate.toString());
            request.put("split", split.name());
            data.ifPresent(d -> request.put("data_dir", d.toString()));
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> deadline = deadline(process, expired);
            boolean keep = false;
            try {
                if (process.send(EvaluatorReply.json(request))) {
                    Optional<BoundedLineReader.Line> line;
                    while ((line = process.nextLine()).isPresent()) {
                        Optional<ObjectNode> result = line.get().truncated() ? Optional.empty()
                                : EvaluatorReply.object(line.get().text());
                        if (result.isPresent() && id.equals(result.get().path("id").asText(null))) {
                            keep = true;
                            return outcome(result.get(), process, split, started);
                        }
                        if (!line.get().text().isBlank()) {
                            process.note(line.get());
                        }
                    }
                }
                deadline.cancel(false);
                boolean timedOut = expired.get() && !process.flooded();
                if (timedOut) {
                    return timeout(process, split, started);
                }
                if (process.flooded()) {
                    return flooded(process, split, started);
                }
                return noResult(process, process.exitCode(), split, started, false);
            } finally {
                deadline.cancel(false);
                if (!keep) {
                    retire();
                }
            }
        }

        private void retire() {
            warm.ifPresent(EvaluatorProcess::kill);
            warm = Optional.empty();
            warmData = Optional.empty();
            served = 0;
        }

        private EvaluatorProcess startProcess(List<String> arguments, Optional<Path> data) throws IOException {
            List<String> line = new ArrayList<>();
            List<Path> readOnly = new ArrayList<>(interpreter.readOnly());
            toolchain.forEach(tool -> readOnly.addAll(tool.readOnly()));
            readOnly.addAll(List.of(Path.of("/usr/bin"), Path.of("/bin"), staging, python, inbox));
            data.ifPresent(readOnly::add);
            Optional<Path> hostDirectory;
            Path work;
            if (jail.confined()) {
                // the tmpfs starts empty: the process copies the task in, then becomes the evaluator
                line.addAll(List.of("/bin/sh", "-c", "cp -R \"$0\"/. . && exec \"$@\"", staging.toString()));
                work = JAILED_WORK;
                hostDirectory = Optional.empty();
            } else {
                work = Files.createTempDirectory(base, "work-");
                copyTree(staging, work);
                hostDirectory = Optional.of(work);
            }
            line.addAll(command);
            line.addAll(arguments);
            JailSpec spec = JailSpec.of(readOnly, work, settings.limits());
            Map<String, String> environment = new LinkedHashMap<>(spec.environment());
            environment.put("PYTHONPATH", python.toString());
            environment.put("PYTHONDONTWRITEBYTECODE", "1");
            data.ifPresent(d -> environment.put(DATA_DIR_VARIABLE, d.toString()));
            // a compiler of the toolchain is found by name: its directory comes before the system's
            List<String> path = new ArrayList<>();
            toolchain.forEach(tool -> path.add(realDirectory(tool.executable())));
            path.add(spec.environment().get("PATH"));
            environment.put("PATH", String.join(":", path.stream().distinct().toList()));
            for (String name : task.environment()) {
                String value = System.getenv(name);
                if (value != null) {
                    environment.put(name, value);
                }
            }
            ProcessBuilder builder = jail.processBuilder(line, spec.withEnvironment(environment).withNobodyOnHost());
            try {
                return new EvaluatorProcess(builder.start(), hostDirectory, settings.maxResultLineBytes(),
                        settings.outputCapBytes(), settings.maxOutputBytes());
            } catch (IOException e) {
                hostDirectory.ifPresent(EvaluatorProcess::deleteTree);
                throw e;
            }
        }

        private SandboxOutcome outcome(ObjectNode result, EvaluatorProcess process, Split split, long started) {
            EvaluatorReply.Verdict verdict = EvaluatorReply.verdict(result, task, settings.outputCapBytes());
            String log = process.log();
            String context = log.isEmpty() ? "" : "\nevaluator log (last " + settings.outputCapBytes() + " bytes):\n" + log;
            if (verdict instanceof EvaluatorReply.Scored scored) {
                return new SandboxOutcome(EvaluationStatus.OK, scored.score(), scored.metrics(),
                        (split.label() + ": " + scored.feedback() + context).strip(), List.of(), split, isolation(),
                        millisSince(started));
            }
            EvaluatorReply.Failed failed = (EvaluatorReply.Failed) verdict;
            return failure(failed.status(), split.label() + ": " + failed.reason() + context, split, millisSince(started));
        }

        private SandboxOutcome timeout(EvaluatorProcess process, Split split, long started) {
            return failure(EvaluationStatus.TIMEOUT, split.label() + ": the evaluation did not finish within "
                    + task.timeout().toMillis() / 1000.0 + " s; the evaluator and every process it started were killed"
                    + tail(process), split, millisSince(started));
        }

        private SandboxOutcome flooded(EvaluatorProcess process, Split split, long started) {
            return failure(EvaluationStatus.RUNTIME_ERROR, split.label() + ": the evaluation printed more than "
                    + settings.maxOutputBytes() + " bytes and was killed" + tail(process), split, millisSince(started));
        }

        private SandboxOutcome noResult(EvaluatorProcess process, Optional<Integer> exit, Split split, long started,
                                        boolean tooLong) {
            String log = process.log();
            if (exit.isPresent() && exit.get() != 0) {
                EvaluationStatus status = outOfMemory(log) ? EvaluationStatus.MEMORY_EXCEEDED : EvaluationStatus.RUNTIME_ERROR;
                return failure(status, split.label() + ": the evaluator exited with code " + exit.get()
                        + " without a result" + tail(process), split, millisSince(started));
            }
            String why = tooLong ? "the evaluator's last line is longer than " + settings.maxResultLineBytes() + " bytes"
                    : "evaluator printed no JSON object";
            return failure(EvaluationStatus.RUNTIME_ERROR, split.label() + ": " + why + tail(process), split,
                    millisSince(started));
        }

        private String tail(EvaluatorProcess process) {
            String log = process.log();
            return log.isEmpty() ? "" : "\nevaluator log (last " + settings.outputCapBytes() + " bytes):\n" + log;
        }
    }

    /** Python's MemoryError, C++'s bad_alloc, Rust's and Go's allocation failures, at the end of the log. */
    private static boolean outOfMemory(String log) {
        List<String> lines = log.lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        return last.stream().anyMatch(l -> l.startsWith("MemoryError") || l.contains("std::bad_alloc")
                || l.contains("memory allocation of") || l.contains("runtime: out of memory")
                || l.contains("Cannot allocate memory"));
    }

    /**
     * The directory of the file a (possibly linked) executable really is: {@code /usr/bin/javac} leads through
     * {@code /etc/alternatives}, which the jail does not show, to the JDK's {@code bin}.
     */
    private static String realDirectory(Path executable) {
        try {
            return executable.toRealPath().getParent().toString();
        } catch (IOException e) {
            return executable.getParent().toString();
        }
    }

    private static byte[] bytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static Path directory(Path path) throws IOException {
        Files.createDirectories(path);
        readable(path);
        return path;
    }

    private static void createParents(Path root, Path file) throws IOException {
        for (Path parent = file.getParent(); parent != null && parent.startsWith(root) && !Files.isDirectory(parent);
             parent = parent.getParent()) {
            Files.createDirectories(parent);
        }
        for (Path parent = file.getParent(); parent != null && !parent.equals(root); parent = parent.getParent()) {
            readable(parent);
        }
    }

    /** World-readable: a jail entered as nobody on the host reads these. */
    private static void readable(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                    target.toFile().setWritable(true, true);
                }
            }
        }
    }
}
