package io.galapagos.worker.sandbox;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-deadlines"));
    private final List<Slot> slots = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean closed;

    private record Job(SandboxRequest request, Optional<String> unparseable, CompletableFuture<SandboxOutcome> result) {
    }

    private SandboxPool(SandboxSettings settings, Jail jail, TaskRegistry tasks) {
        this.settings = settings;
        this.jail = jail;
        this.tasks = tasks;
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
        try {
            checks.execute(() -> check(task.get(), request, result));
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

    private void check(Task<?> task, SandboxRequest request, CompletableFuture<SandboxOutcome> result) {
        long started = System.nanoTime();
        Split first = request.cascade().get(0);
        StaticCheck.Verdict verdict;
        try {
            verdict = new StaticCheck(task.candidateType(), settings.maxSourceBytes())
                    .check(request.source(), request.parentSource());
        } catch (RuntimeException e) {
            result.complete(SandboxOutcome.failure(EvaluationStatus.SANDBOX_CRASH, "The static check failed: " + e,
                    first, isolation(), millisSince(started)));
            return;
        }
        if (!verdict.violations().isEmpty()) {
            result.complete(SandboxOutcome.failure(EvaluationStatus.REJECTED, verdict.message(), first, isolation(),
                    millisSince(started)));
        } else if (closed) {
            result.completeExceptionally(new IllegalStateException("the sandbox pool is closed"));
        } else {
            queue.add(new Job(request, verdict.unparseable(), result));
        }
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
            ChildProcess child = launch(settings, jail, Optional.empty(), timer);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - child.startedNanos());
            child.kill();
            return elapsed;
        } finally {
            timer.shutdownNow();
        }
    }

    private static ChildProcess launch(SandboxSettings settings, Jail jail, Optional<Path> dataDirectory,
                                       ScheduledExecutorService timer) throws IOException {
        ChildProcess child = ChildProcess.start(settings, jail, dataDirectory);
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
        /** The data directory this slot's children bind: the last one a request named. */
        private Optional<Path> dataDirectory = Optional.empty();

        @Override
        public void run() {
            try {
                freshChild();
                while (!closed) {
                    Job job = queue.take();
                    Served done = serveSafely(job);
                    job.result().complete(done.outcome());
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

        /** Replaces the child now, so that the next request finds a warm one. */
        private void freshChild() {
            retire();
            try {
                child = launch(settings, jail, dataDirectory, deadlines);
            } catch (IOException | RuntimeException e) {
                child = null;  // the next request tries again and reports the failure
            }
            served = 0;
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
            } catch (IOException | RuntimeException e) {
                retire();
                return new Served(SandboxOutcome.failure(EvaluationStatus.SANDBOX_CRASH,
                        "The sandbox failed before the candidate could be evaluated: " + e.getMessage(),
                        job.request().cascade().get(0), isolation(), millisSince(started)), true);
            }
        }

        private Served serve(Job job, long started) throws IOException {
            SandboxRequest request = job.request();
            List<Split> cascade = request.cascade();
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
                child = launch(settings, jail, dataDirectory, deadlines);
                served = 0;
            }
            ChildProcess current = child;
            long id = requestIds.incrementAndGet();
            long timeout = settings.evaluationTimeout().toMillis();
            // the child's watchdog reports where the candidate spins before the hard kill; a loaded machine
            // schedules that thread late, so it gets a fifth of the deadline (0.5 s to 2 s)
            long soft = timeout - Math.min(2000, Math.max(500, timeout / 5));
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> deadline = deadlines.schedule(() -> {
                expired.set(true);
                current.kill();
            }, timeout, TimeUnit.MILLISECONDS);
            try {
                current.send(new ChildProtocol.Request(id, request.taskId(), request.source(), cascade,
                        ChildProtocol.Data.of(request.dataSource()), request.details(), job.unparseable().isPresent(),
                        soft));
            } catch (IOException e) {
                // the child died while idle; the read below reports how
            }
            List<ChildProtocol.Reply> splits = new ArrayList<>();
            while (true) {
                Split running = cascade.get(Math.min(splits.size(), cascade.size() - 1));
                Optional<ChildProtocol.Reply> next = current.readReply();
                if (next.isEmpty()) {
                    deadline.cancel(false);
                    SandboxOutcome outcome = closed
                            ? failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox pool was closed during the evaluation.",
                            running, started)
                            : expired.get() ? timeout(running, "", "", 0, started) : crash(current, running, started);
                    retire();
                    return new Served(outcome, true);
                }
                ChildProtocol.Reply reply = next.get();
                if (reply.id() != id) {
                    continue;
                }
                if (ChildProtocol.Reply.STUCK.equals(reply.type())) {
                    deadline.cancel(false);
                    retire();
                    return new Served(timeout(running, reply.feedback(), reply.output(), reply.outputBytes(), started), true);
                }
                if (ChildProtocol.Reply.COMPILED.equals(reply.type())) {
                    deadline.cancel(false);
                    return new Served(failure(EvaluationStatus.REJECTED, "The candidate was rejected before it ran: the "
                            + "static check cannot parse it (" + job.unparseable().orElse("") + "). Write plain Java 17.",
                            running, started), false);
                }
                splits.add(reply);
                if (!reply.status().succeeded() || splits.size() == cascade.size()) {
                    break;
                }
            }
            boolean killedLate = !deadline.cancel(false);
            served++;
            SandboxOutcome outcome = combine(request, splits, started);
            boolean ranCode = outcome.status() != EvaluationStatus.COMPILE_ERROR && outcome.status() != EvaluationStatus.OK;
            return new Served(outcome, killedLate || ranCode || served >= settings.maxEvaluationsPerChild());
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
                    last.metrics() == null ? Map.of() : last.metrics(), feedback.toString(),
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

        private SandboxOutcome timeout(Split split, String where, String output, long outputBytes, long started) {
            StringBuilder feedback = new StringBuilder("The evaluation did not finish within its deadline of ")
                    .append(seconds(settings.evaluationTimeout())).append(" (split ").append(split.label())
                    .append(") and its sandbox was killed. ");
            if (!where.isBlank()) {
                feedback.append(where).append(' ');
            }
            feedback.append("Every call must return quickly: look for loops that never end, or work that grows with "
                    + "the length of the simulation.");
            appendOutput(feedback, output, outputBytes);
            return failure(EvaluationStatus.TIMEOUT, feedback.toString(), split, started);
        }

        private SandboxOutcome crash(ChildProcess dead, Split split, long started) {
            String diagnostics = dead.diagnostics();
            String exit = dead.exitCode().map(code -> " (exit code " + code + ")").orElse("");
            if (diagnostics.contains("OutOfMemoryError")) {
                return failure(EvaluationStatus.MEMORY_EXCEEDED, "The sandbox JVM ran out of memory" + exit
                        + " on split " + split.label() + " (heap cap " + settings.heapMegabytes()
                        + " MB). Keep data structures bounded." + tail(diagnostics), split, started);
            }
            return failure(EvaluationStatus.SANDBOX_CRASH, "The sandbox JVM died" + exit + " while evaluating split "
                    + split.label() + "." + tail(diagnostics), split, started);
        }

        private SandboxOutcome failure(EvaluationStatus status, String feedback, Split split, long started) {
            return SandboxOutcome.failure(status, feedback, split, isolation(), millisSince(started));
        }
    }

    private record Served(SandboxOutcome outcome, boolean recycle) {
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
