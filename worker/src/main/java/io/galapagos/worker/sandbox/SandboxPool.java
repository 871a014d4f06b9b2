package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.protocol.Printable;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of sandbox child JVMs, one per slot. {@link #evaluate} never blocks: the static check runs on
 * a thread of the pool, then the request waits in a queue for a free slot, and the returned stage
 * completes when the child has answered, died, or run past the deadline (then its process tree is
 * killed and the slot gets a fresh child).
 */
public final class SandboxPool implements AutoCloseable {

    private static final int MAX_DIAGNOSTICS = 1500;

    private final SandboxSettings settings;
    private final Jail jail;
    private final TaskRegistry tasks;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final ExecutorService checks = Executors.newSingleThreadExecutor(daemon("sandbox-static-check"));
    private final ScheduledExecutorService deadlines = deadlineTimer();
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    /** Children started, the first one of every slot included. */
    private final AtomicLong childrenStarted = new AtomicLong();
    private final SecureRandom nonces = new SecureRandom();
    private final Map<CalibrationKey, CompletableFuture<Duration>> calibrations = new HashMap<>();
    private final SandboxCompiler compiler;
    private volatile boolean closed;

    /**
     * One request on its way through a slot.
     *
     * @param deadlines per split of the cascade, the longest it may run
     * @param timings   completed with each split's time in the child (calibration jobs only)
     * @param arrived   {@link System#nanoTime()} when the pool was asked
     * @param checkNanos how long the static check took
     */
    private record Job(SandboxRequest request, Optional<String> unparseable, CompletableFuture<SandboxOutcome> result,
                       Map<Split, Duration> deadlines, Optional<CompletableFuture<Map<Split, Long>>> timings,
                       long arrived, long checkNanos) {
    }

    /** The deadline of one split of one task on one data source, once measured on the initial program. */
    private record CalibrationKey(String taskId, DataSource data, Split split) {
    }

    private SandboxPool(SandboxSettings settings, Jail jail, TaskRegistry tasks) {
        this.settings = settings;
        this.jail = jail;
        this.tasks = tasks;
        this.compiler = new SandboxCompiler(settings, jail, SandboxCompiler.processesFor(settings.slots()), deadlines);
        compiler.warmInBackground();
        for (int i = 0; i < settings.slots(); i++) {
            Slot slot = new Slot();
            Thread thread = daemon("sandbox-slot-" + i).newThread(slot);
            slot.thread = thread;
            slots.add(slot);
            thread.start();
        }
    }

    /**
     * Probes the jail once and starts the slots; their children start in the background. Without a jail
     * ({@code isolation = none}) it warns on stderr, every time.
     *
     * @throws SandboxUnavailableException when no jail can be made and the settings do not say {@code none}
     */
    public static SandboxPool start(SandboxSettings settings) {
        Jail jail = probe(settings);
        return new SandboxPool(settings, jail, TaskRegistry.load());
    }

    private static Jail probe(SandboxSettings settings) {
        Jail jail = Jail.probe(settings.jail());
        if (!jail.confined()) {
            System.err.println("WARNING: galapagos.sandbox.isolation = none: candidate code runs without an OS jail, "
                    + "with this user's rights; use it only for trusted candidates");
            System.err.flush();
        }
        return jail;
    }

    /** {@code bwrap (...)}, or {@code none (...)} when the configuration turned the jail off. */
    public String isolation() {
        return jail.description();
    }

    public int slots() {
        return slots.size();
    }

    /** Children started in place of an earlier one of their slot (recycled, crashed or killed). */
    public long restarts() {
        return Math.max(0, childrenStarted.get() - slots.size());
    }

    public SandboxSettings settings() {
        return settings;
    }

    /**
     * Queues one evaluation. The stage fails (with {@link IllegalArgumentException}) only for a task
     * that does not exist, or ({@link IllegalStateException}) when the pool is closed; everything a
     * candidate does ends in an outcome.
     */
    public CompletionStage<SandboxOutcome> evaluate(SandboxRequest request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the sandbox pool is closed"));
        }
        Optional<Task<?>> task = tasks.find(request.taskId());
        if (task.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(unknownTask(request.taskId())));
        }
        CompletableFuture<SandboxOutcome> result = new CompletableFuture<>();
        long arrived = System.nanoTime();
        try {
            checks.execute(() -> check(task.get(), request, result, arrived));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the sandbox pool is closed"));
        }
        return result;
    }

    private String unknownTask(String id) {
        try {
            tasks.require(id);
            return "unknown task '" + id + "'";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void check(Task<?> task, SandboxRequest request, CompletableFuture<SandboxOutcome> result, long arrived) {
        long started = System.nanoTime();
        Split first = request.cascade().get(0);
        StaticCheck.Verdict verdict;
        try {
            verdict = new StaticCheck(task.candidateType(), settings.maxSourceBytes())
                    .check(request.source(), request.parentSource());
        } catch (StackOverflowError e) {
            result.complete(SandboxOutcome.failure(EvaluationStatus.REJECTED, "The candidate was rejected before it "
                    + "ran: its expressions or blocks are nested too deeply to be checked. Flatten the nesting "
                    + "(split long expressions into local variables and methods).", first, isolation(),
                    millisSince(started)));
            return;
        } catch (Throwable e) {
            result.complete(SandboxOutcome.failure(EvaluationStatus.SANDBOX_CRASH,
                    "The static check failed: " + Printable.escape(e.toString()), first, isolation(),
                    millisSince(started)));
            return;
        }
        long checkNanos = System.nanoTime() - started;
        if (!verdict.violations().isEmpty()) {
            result.complete(SandboxOutcome.failure(EvaluationStatus.REJECTED, Printable.escape(verdict.message()), first,
                    isolation(), millisSince(started)).withPhases(new SandboxPhases(checkNanos, 0, 0, 0, 0, 0)));
            return;
        }
        deadlines(task, request.dataSource(), request.cascade()).whenComplete((deadlines, failure) -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("the sandbox pool is closed"));
            } else {
                queue.add(new Job(request, verdict.unparseable(), result,
                        failure == null ? deadlines : ceilings(request.cascade()), Optional.empty(), arrived,
                        checkNanos));
            }
        });
    }

    /**
     * The deadline of every split of the cascade: a multiple of the initial program's time on that split
     * (measured once per task and data source by running it in this pool), within the floor and the
     * evaluation timeout. Requests wait for a calibration that is running.
     */
    private CompletableFuture<Map<Split, Duration>> deadlines(Task<?> task, DataSource data, List<Split> cascade) {
        SandboxSettings.Deadlines rule = settings.deadlines();
        if (!rule.calibrate()) {
            return CompletableFuture.completedFuture(ceilings(cascade));
        }
        Map<Split, CompletableFuture<Duration>> perSplit = new EnumMap<>(Split.class);
        List<Split> missing = new ArrayList<>();
        synchronized (calibrations) {
            for (Split split : cascade) {
                perSplit.put(split, calibrations.computeIfAbsent(new CalibrationKey(task.id(), data, split), key -> {
                    missing.add(split);
                    return new CompletableFuture<>();
                }));
            }
        }
        if (!missing.isEmpty()) {
            calibrate(task, data, missing, perSplit);
        }
        return CompletableFuture.allOf(perSplit.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Split, Duration> deadlines = new EnumMap<>(Split.class);
            perSplit.forEach((split, deadline) -> deadlines.put(split, deadline.join()));
            return deadlines;
        });
    }

    /** Runs the task's initial program on the splits no request has measured yet, under the ceilings. */
    private void calibrate(Task<?> task, DataSource data, List<Split> splits,
                           Map<Split, CompletableFuture<Duration>> perSplit) {
        SandboxRequest initial = new SandboxRequest("calibration of " + task.id(), task.id(),
                task.initialProgram().source(), Optional.empty(), splits, data, false);
        CompletableFuture<Map<Split, Long>> timings = new CompletableFuture<>();
        timings.whenComplete((measured, failure) -> {
            for (Split split : splits) {
                Long millis = failure == null ? measured.get(split) : null;
                perSplit.get(split).complete(millis == null ? settings.evaluationTimeout() : scaled(millis));
            }
        });
        CompletableFuture<SandboxOutcome> outcome = new CompletableFuture<>();
        outcome.whenComplete((done, failure) -> timings.complete(Map.of()));
        queue.add(new Job(initial, Optional.empty(), outcome, ceilings(splits), Optional.of(timings),
                System.nanoTime(), 0));
    }

    private Duration scaled(long measuredMillis) {
        SandboxSettings.Deadlines rule = settings.deadlines();
        Duration scaled = Duration.ofMillis((long) Math.ceil(measuredMillis * rule.multiple()));
        Duration atLeast = scaled.compareTo(rule.floor()) < 0 ? rule.floor() : scaled;
        return atLeast.compareTo(settings.evaluationTimeout()) > 0 ? settings.evaluationTimeout() : atLeast;
    }

    private Map<Split, Duration> ceilings(List<Split> cascade) {
        Map<Split, Duration> deadlines = new EnumMap<>(Split.class);
        cascade.forEach(split -> deadlines.put(split, settings.evaluationTimeout()));
        return deadlines;
    }

    /** The deadlines measured so far, for reports: split to deadline, per task and data source. */
    public Map<String, Duration> calibratedDeadlines(String taskId, DataSource data) {
        Map<String, Duration> known = new LinkedHashMap<>();
        synchronized (calibrations) {
            for (Split split : Split.values()) {
                CompletableFuture<Duration> deadline = calibrations.get(new CalibrationKey(taskId, data, split));
                if (deadline != null && deadline.isDone() && !deadline.isCompletedExceptionally()) {
                    known.put(split.label(), deadline.join());
                }
            }
        }
        return known;
    }

    /**
     * One thread for every deadline of the pool. A cancelled deadline leaves the queue at once: a guard
     * holds its job (the request's code, and the result once it is in) and is cancelled after every
     * evaluation, so kept until it would have fired it held several minutes of a run's results.
     */
    private static ScheduledExecutorService deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("sandbox-deadlines"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** How long a slot may hold one request: its whole deadline, a child's start and the kill, with room. */
    private long slotGuardMillis() {
        return settings.evaluationTimeout().plus(settings.startTimeout()).plusSeconds(30).toMillis();
    }

    /**
     * The longest an {@link #evaluate} stage can take once a slot is free: a calibration of the task's
     * deadlines and then the request itself, each bounded by the slot's guard. Callers that wait on one
     * request wait this long at most.
     */
    public Duration longestEvaluation() {
        return Duration.ofMillis(2 * slotGuardMillis()).plusSeconds(30);
    }

    /** Sources the pool's compiler had compiled before, found again in its cache. */
    public long compileCacheHits() {
        return compiler.cacheHits();
    }

    /** Sources the pool's compiler had to compile. */
    public long compileCacheMisses() {
        return compiler.cacheMisses();
    }

    /** Stops every child and fails the requests still waiting. */
    @Override
    public void close() {
        closed = true;
        checks.shutdownNow();
        for (Slot slot : slots) {
            slot.thread.interrupt();
            ChildProcess child = slot.child;
            if (child != null) {
                child.kill();
            }
        }
        compiler.close();
        for (Slot slot : slots) {
            try {
                slot.thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Job> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        waiting.forEach(job -> job.result().completeExceptionally(new IllegalStateException("the sandbox pool was closed")));
        deadlines.shutdownNow();
    }

    /**
     * Starts one child outside any pool and measures spawn-to-ready (JVM start, class loading, compiler
     * warm-up), in the jail the settings ask for.
     */
    public static Duration measureColdStart(SandboxSettings settings) throws IOException {
        Jail jail = Jail.probe(settings.jail());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-cold-start"));
        try {
            ChildProcess child = launch(settings, jail, Optional.empty(), false, timer);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - child.startedNanos());
            child.kill();
            return elapsed;
        } finally {
            timer.shutdownNow();
        }
    }

    private static ChildProcess launch(SandboxSettings settings, Jail jail, Optional<Path> dataDirectory, boolean quickJit,
                                       ScheduledExecutorService timer) throws IOException {
        ChildProcess child = ChildProcess.start(settings, jail, dataDirectory, quickJit);
        ScheduledFuture<?> tooSlow = timer.schedule(child::kill, settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Optional<ChildProtocol.Reply> ready = child.readReply();
        tooSlow.cancel(false);
        if (ready.isEmpty() || !ChildProtocol.Reply.READY.equals(ready.get().type())) {
            child.kill();
            throw new IOException("the sandbox JVM did not become ready within " + settings.startTimeout().toSeconds()
                    + " s" + tail(child.diagnostics()));
        }
        return child;
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String tail(String diagnostics) {
        if (diagnostics.isBlank()) {
            return "";
        }
        String text = diagnostics.length() > MAX_DIAGNOSTICS
                ? "..." + diagnostics.substring(diagnostics.length() - MAX_DIAGNOSTICS) : diagnostics;
        return "; the JVM said:\n" + text;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One slot: a thread that owns one child at a time and serves requests from the queue. */
    private final class Slot implements Runnable {
        private volatile Thread thread;
        private volatile ChildProcess child;
        private int served;
        /** Whether this slot's children run the client compiler only (its probe counts across its children). */
        private final ChildJit jit = new ChildJit();
        /** Wall time the current child spent on requests: it is replaced well before its CPU-time limit. */
        private long busyMillis;
        /** The data directory this slot's children bind: the last one a request named. */
        private Optional<Path> dataDirectory = Optional.empty();
        /** What the child said it spent on the request being served, summed over its replies. */
        private ChildProtocol.Times childTimes = ChildProtocol.Times.NONE;

        private SandboxPhases phases(Job job, long picked, long done) {
            ChildProtocol.Times child = childTimes;
            long inChild = child.compileNanos() + child.bytecodeNanos() + child.splitNanos();
            return new SandboxPhases(job.checkNanos(), Math.max(0, picked - job.arrived() - job.checkNanos()),
                    child.compileNanos(), child.bytecodeNanos(), child.splitNanos(),
                    Math.max(0, done - picked - inChild));
        }

        @Override
        public void run() {
            try {
                freshChild();
                while (!closed) {
                    Job job = queue.take();
                    ScheduledFuture<?> guard = deadlines.schedule(() -> abandon(job), slotGuardMillis(),
                            TimeUnit.MILLISECONDS);
                    long picked = System.nanoTime();
                    childTimes = ChildProtocol.Times.NONE;
                    Served done = serveSafely(job);
                    guard.cancel(false);
                    job.timings().ifPresent(timings -> timings.complete(Map.of()));
                    job.result().complete(done.outcome().withPhases(phases(job, picked, System.nanoTime())));
                    if (done.recycle() && !closed) {
                        freshChild();
                    }
                }
            } catch (InterruptedException e) {
                // the pool is closing
            } finally {
                retire();
            }
        }

        /**
         * The request outlived every deadline of its own (the slot is stuck on the child): its caller gets
         * an answer now, and the child is killed so that the slot comes free.
         */
        private void abandon(Job job) {
            boolean answered = job.result().complete(SandboxOutcome.failure(EvaluationStatus.SANDBOX_CRASH,
                    "The sandbox slot did not answer within " + seconds(Duration.ofMillis(slotGuardMillis()))
                            + "; its child was killed.", job.request().cascade().get(0), isolation(), slotGuardMillis()));
            ChildProcess stuck = child;
            if (answered && stuck != null) {
                stuck.kill();
            }
        }

        /** Replaces the child now, so that the next request finds a warm one. */
        private void freshChild() {
            retire();
            try {
                childrenStarted.incrementAndGet();
                child = launch(settings, jail, dataDirectory, jit.quick(), deadlines);
            } catch (IOException | RuntimeException e) {
                child = null;  // the next request tries again and reports the failure
            }
            served = 0;
            busyMillis = 0;
            if (closed) {
                retire();
            }
        }

        private void retire() {
            ChildProcess current = child;
            child = null;
            if (current != null) {
                current.kill();
            }
        }

        private Served serveSafely(Job job) {
            long started = System.nanoTime();
            try {
                return serve(job, started);
            } catch (Throwable e) {
                // whatever the child made happen here, this slot goes on serving with a fresh child
                retire();
                return new Served(SandboxOutcome.failure(EvaluationStatus.SANDBOX_CRASH,
                        "The sandbox failed before the candidate could be evaluated: " + Printable.escape(e.toString()),
                        job.request().cascade().get(0), isolation(), millisSince(started)), true);
            }
        }

        private Served serve(Job job, long started) throws IOException {
            SandboxRequest request = job.request();
            List<Split> cascade = request.cascade();
            long compileStarted = System.nanoTime();
            Compilation compilation = compiler.compile(tasks.require(request.taskId()), request.source());
            childTimes = new ChildProtocol.Times(System.nanoTime() - compileStarted, 0, 0);
            if (!(compilation instanceof Compilation.Compiled compiled)) {
                return new Served(notCompiled(compilation, cascade.get(0), started), false);
            }
            if (request.dataSource() instanceof DataSource.Directory directory
                    && !dataDirectory.equals(Optional.of(directory.root()))) {
                // a jailed child sees only the data directory it was started with (rare: a worker usually serves one run)
                dataDirectory = Optional.of(directory.root());
                if (child != null && !child.sees(directory)) {
                    retire();
                }
            }
            if (child == null || !child.alive()) {
                retire();
                child = launch(settings, jail, dataDirectory, jit.quick(), deadlines);
                served = 0;
                busyMillis = 0;
            }
            ChildProcess current = child;
            long id = requestIds.incrementAndGet();
            String nonce = nonce();
            Deadline deadline = new Deadline(current, started, settings.evaluationTimeout().toMillis());
            long compile = settings.deadlines().compile().toMillis();
            List<Long> soft = new ArrayList<>();
            for (Split split : cascade) {
                soft.add(softDeadline(job.deadlines().get(split).toMillis()));
            }
            long firstSplit = job.deadlines().get(cascade.get(0)).toMillis();
            deadline.arm(compile + firstSplit, firstSplit);
            try {
                current.send(new ChildProtocol.Request(id, nonce, request.taskId(), compiled.classes().publicClass(),
                        compiled.classes().classes(), cascade, ChildProtocol.Data.of(request.dataSource()),
                        request.details(), job.unparseable().isPresent(), softDeadline(compile), soft));
            } catch (IOException e) {
                // the child died while idle; the read below reports how
            }
            List<ChildProtocol.Reply> splits = new ArrayList<>();
            Map<Split, Long> timings = new EnumMap<>(Split.class);
            while (true) {
                Split running = cascade.get(Math.min(splits.size(), cascade.size() - 1));
                ChildProcess.Received received = current.receive();
                if (received instanceof ChildProcess.Received.End) {
                    deadline.cancel();
                    SandboxOutcome outcome = closed
                            ? failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox pool was closed during the evaluation.",
                            running, started)
                            : deadline.expired() ? timeout(running, deadline, "", "", 0, started)
                            : crash(current, running, started);
                    retire();
                    return new Served(outcome, true);
                }
                if (received instanceof ChildProcess.Received.Malformed malformed) {
                    return untrusted(deadline, running, "it sent " + malformed.why(), started);
                }
                ChildProtocol.Reply reply = ((ChildProcess.Received.Reply) received).reply();
                if (reply.id() < id) {
                    continue;  // a late report of the previous request's watchdog
                }
                if (reply.id() != id || !nonce.equals(reply.nonce())) {
                    // only the harness knows the nonce: a reply without it was written by someone else
                    return untrusted(deadline, running, "it sent a reply that does not carry this request's secret",
                            started);
                }
                if (ChildProtocol.Reply.STUCK.equals(reply.type())) {
                    deadline.cancel();
                    retire();
                    return new Served(timeout(running, deadline, reply.feedback(), reply.output(), reply.outputBytes(),
                            started), true);
                }
                if (ChildProtocol.Reply.COMPILED.equals(reply.type()) && job.unparseable().isPresent()) {
                    deadline.cancel();
                    return new Served(failure(EvaluationStatus.REJECTED, "The candidate was rejected before it ran: the "
                            + "static check cannot parse it (" + job.unparseable().orElse("") + "). Write plain Java 17.",
                            running, started), false);
                }
                Optional<String> impossible = impossible(reply, running, request.details());
                if (impossible.isPresent()) {
                    return untrusted(deadline, running, impossible.get(), started);
                }
                splits.add(reply);
                addChildTimes(reply.times());
                if (reply.status().succeeded()) {
                    timings.put(reply.split(), reply.elapsedMillis());
                }
                if (reply.extraThreads() > 0 || !reply.status().succeeded() || splits.size() == cascade.size()) {
                    break;
                }
                long next = job.deadlines().get(cascade.get(splits.size())).toMillis();
                deadline.arm(next, next);
            }
            boolean killedLate = !deadline.cancel();
            served++;
            job.timings().ifPresent(future -> future.complete(timings));
            ChildProtocol.Reply last = splits.get(splits.size() - 1);
            SandboxOutcome outcome = nonFinite(last).map(what -> failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                            "The evaluation of split " + last.split().label() + " produced " + what + ": every number "
                                    + "the candidate returns must be finite (no NaN or infinity).", last.split(), started))
                    .orElseGet(() -> combine(request, splits, started));
            if (last.extraThreads() > 0 && outcome.succeeded()) {
                outcome = failure(EvaluationStatus.REJECTED, "The candidate left " + last.extraThreads()
                        + " thread(s) running after split " + last.split().label() + "; candidates must not start "
                        + "threads.", last.split(), started);
            }
            boolean ranCode = outcome.status() != EvaluationStatus.COMPILE_ERROR && outcome.status() != EvaluationStatus.OK;
            busyMillis += millisSince(started);
            // the kernel kills a child at its CPU-time limit, whoever is running then: retire it at a quarter
            // of it in wall time (its GC and compiler threads may add to the candidate's own time)
            boolean worn = served >= settings.maxEvaluationsPerChild()
                    || busyMillis >= settings.jail().limits().cpuTime().toMillis() / 4;
            // long simulations: the next child gets the optimising compiler (see ChildJit)
            boolean tooSlowForQuick = outcome.succeeded() && jit.evaluated(childTimes.splitNanos());
            return new Served(outcome, killedLate || ranCode || last.extraThreads() > 0 || worn || tooSlowForQuick);
        }

        /** Why a source has no class files, as the outcome of its first split; its child is not involved. */
        private SandboxOutcome notCompiled(Compilation compilation, Split first, long started) {
            if (compilation instanceof Compilation.Failed failed) {
                return failure(EvaluationStatus.COMPILE_ERROR, Printable.escape("The candidate does not compile:\n"
                        + failed.message()), first, started);
            }
            if (compilation instanceof Compilation.TooDeep) {
                return failure(EvaluationStatus.REJECTED, "The candidate was rejected before it ran: its expressions "
                        + "or blocks are nested too deeply to compile. Flatten the nesting.", first, started);
            }
            if (compilation instanceof Compilation.TimedOut timedOut) {
                return failure(EvaluationStatus.TIMEOUT, "Compiling the candidate did not finish within its deadline "
                        + "of " + seconds(timedOut.deadline()) + " and the compiler was stopped. Simplify the code "
                        + "(deeply nested generics or very long methods).", first, started);
            }
            String why = compilation instanceof Compilation.Unavailable unavailable ? unavailable.why() : "";
            return failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox could not compile the candidate: " + why,
                    first, started);
        }

        /** Only a reply that carried the request's secret and passed the checks gets here; its times only inform. */
        private void addChildTimes(ChildProtocol.Times times) {
            if (times != null && times.compileNanos() >= 0 && times.bytecodeNanos() >= 0 && times.splitNanos() >= 0) {
                childTimes = new ChildProtocol.Times(childTimes.compileNanos() + times.compileNanos(),
                        childTimes.bytecodeNanos() + times.bytecodeNanos(), childTimes.splitNanos() + times.splitNanos());
            }
        }

        /** The child broke the protocol: nothing it says is believed, and it is replaced. */
        private Served untrusted(Deadline deadline, Split running, String why, long started) {
            deadline.cancel();
            retire();
            return new Served(failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox child was replaced because " + why
                    + " while evaluating split " + running.label() + "; its results were discarded.", running, started),
                    true);
        }

        private SandboxOutcome combine(SandboxRequest request, List<ChildProtocol.Reply> splits, long started) {
            ChildProtocol.Reply last = splits.get(splits.size() - 1);
            StringBuilder feedback = new StringBuilder();
            Split firstSplit = request.cascade().get(0);
            if (!last.status().succeeded() && last.split() == firstSplit && request.cascade().size() > 1
                    && last.status() != EvaluationStatus.COMPILE_ERROR) {
                feedback.append("The ").append(firstSplit.label()).append(" split failed, so the later splits were not run.\n");
            }
            feedback.append(last.feedback());
            appendOutput(feedback, last.output(), last.outputBytes());
            return new SandboxOutcome(last.status(), last.status().succeeded() ? last.score() : Double.NEGATIVE_INFINITY,
                    last.metrics() == null ? Map.of() : last.metrics(), Printable.escape(feedback.toString()),
                    last.runs() == null ? List.of() : last.runs(), last.split(), isolation(), millisSince(started));
        }

        private void appendOutput(StringBuilder feedback, String output, long bytes) {
            if (bytes <= 0) {
                return;
            }
            feedback.append("\n\nThe candidate printed ").append(bytes).append(" bytes");
            if (bytes > settings.outputCapBytes()) {
                feedback.append(" (only the first ").append(settings.outputCapBytes()).append(" were kept)");
            }
            feedback.append(":\n").append(output);
        }

        private SandboxOutcome timeout(Split split, Deadline deadline, String where, String output, long outputBytes,
                                       long started) {
            StringBuilder feedback = new StringBuilder("The evaluation did not finish within its deadline of ")
                    .append(seconds(Duration.ofMillis(deadline.phaseMillis()))).append(" (split ").append(split.label())
                    .append(") and its sandbox was killed. ");
            if (!where.isBlank()) {
                feedback.append(where).append(' ');
            }
            feedback.append("Every call must return quickly: look for loops that never end, or work that grows with "
                    + "the length of the simulation.");
            appendOutput(feedback, output, outputBytes);
            return failure(EvaluationStatus.TIMEOUT, Printable.escape(feedback.toString()), split, started);
        }

        private SandboxOutcome crash(ChildProcess dead, Split split, long started) {
            String diagnostics = dead.diagnostics();
            String exit = dead.exitCode().map(code -> " (exit code " + code + ")").orElse("");
            if (diagnostics.contains("OutOfMemoryError")) {
                return failure(EvaluationStatus.MEMORY_EXCEEDED, "The sandbox JVM ran out of memory" + exit
                        + " on split " + split.label() + " (heap cap " + settings.heapMegabytes()
                        + " MB). Keep data structures bounded." + Printable.escape(tail(diagnostics)), split, started);
            }
            return failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox JVM died" + exit + " while evaluating split "
                    + split.label() + "." + Printable.escape(tail(diagnostics)), split, started);
        }

        private SandboxOutcome failure(EvaluationStatus status, String feedback, Split split, long started) {
            return SandboxOutcome.failure(status, feedback, split, isolation(), millisSince(started));
        }
    }

    private record Served(SandboxOutcome outcome, boolean recycle) {
    }

    /**
     * The kill timer of one request: each phase (compiling plus the first split, then each later split)
     * gets its own deadline, and the request as a whole never runs past the evaluation timeout.
     */
    private final class Deadline {
        private final ChildProcess child;
        private final long startedNanos;
        private final long overallMillis;
        private final AtomicBoolean expired = new AtomicBoolean();
        private ScheduledFuture<?> timer;
        private long phaseMillis;

        Deadline(ChildProcess child, long startedNanos, long overallMillis) {
            this.child = child;
            this.startedNanos = startedNanos;
            this.overallMillis = overallMillis;
        }

        /** Kills the child after {@code millis} (or when the request's time is up); reports {@code splitMillis}. */
        void arm(long millis, long splitMillis) {
            cancel();
            long left = Math.max(0, overallMillis - millisSince(startedNanos));
            phaseMillis = Math.min(splitMillis, overallMillis);
            timer = deadlines.schedule(() -> {
                expired.set(true);
                child.kill();
            }, Math.min(millis, left), TimeUnit.MILLISECONDS);
        }

        /** False when the timer had already fired, i.e. the child was killed or is being killed. */
        boolean cancel() {
            return timer == null || timer.cancel(false) || !expired.get();
        }

        boolean expired() {
            return expired.get();
        }

        long phaseMillis() {
            return phaseMillis;
        }
    }

    /** A secret per request that only the harness sees: 128 random bits. */
    private String nonce() {
        byte[] bytes = new byte[16];
        nonces.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * When the child's watchdog reports where the candidate spins, before the hard kill; a loaded machine
     * schedules that thread late, so it gets a fifth of the deadline (0.5 s to 2 s).
     */
    private static long softDeadline(long deadlineMillis) {
        return Math.max(deadlineMillis / 2, deadlineMillis - Math.min(2000, Math.max(500, deadlineMillis / 5)));
    }

    /** What no honest harness sends: any of it means the child is not to be believed. */
    private Optional<String> impossible(ChildProtocol.Reply reply, Split running, boolean details) {
        if (!ChildProtocol.Reply.SPLIT.equals(reply.type())) {
            return Optional.of("it sent a reply of type '" + Printable.escape(String.valueOf(reply.type()))
                    + "' where a split's result was due");
        }
        if (reply.split() != running) {
            return Optional.of("it sent a result for split " + reply.split() + " where split " + running.label()
                    + " was due");
        }
        if (reply.status() == null || reply.metrics() == null || reply.feedback() == null || reply.runs() == null
                || reply.output() == null || reply.metrics().containsKey(null) || reply.metrics().containsValue(null)) {
            return Optional.of("it sent a result with missing fields");
        }
        if (reply.outputBytes() < 0 || reply.elapsedMillis() < 0 || reply.extraThreads() < 0
                || reply.output().length() > settings.outputCapBytes()
                || reply.outputBytes() < reply.output().getBytes(StandardCharsets.UTF_8).length) {
            return Optional.of("it sent a result with impossible counts");
        }
        if (!details && !reply.runs().isEmpty()) {
            return Optional.of("it sent per-run details nobody asked for");
        }
        return Optional.empty();
    }

    /** {@code a score of NaN} when a successful result holds a number that is not finite. */
    private static Optional<String> nonFinite(ChildProtocol.Reply reply) {
        if (!reply.status().succeeded()) {
            return Optional.empty();
        }
        if (!Double.isFinite(reply.score())) {
            return Optional.of("a score of " + reply.score());
        }
        for (Map.Entry<String, Double> metric : reply.metrics().entrySet()) {
            if (!Double.isFinite(metric.getValue())) {
                return Optional.of("a metric '" + Printable.escape(metric.getKey()) + "' of " + metric.getValue());
            }
        }
        return Optional.empty();
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
