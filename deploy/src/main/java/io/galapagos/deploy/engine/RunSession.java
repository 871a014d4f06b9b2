package io.galapagos.deploy.engine;

import io.galapagos.controller.Engine;
import io.galapagos.controller.lifecycle.LifecycleLog;
import io.galapagos.controller.report.CandidateLog;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.report.RunOutputs;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.protocol.Durations;
import io.galapagos.protocol.Printable;
import io.galapagos.simulators.Baseline;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Follows a run on a cluster member until it completes, then writes its outputs and summary. */
public final class RunSession {

    /** The id of the one run an output directory holds. */
    public static final String RUN_ID = "run";

    /**
     * A file {@code galapagos stop --out} writes into the folder of a followed run, holding the reason: the
     * follower asks the run to stop and deletes it, which tells {@code stop} the run has taken the request.
     */
    public static final String STOP_REQUEST = "stop-request";

    /** The reason of a stop request that gives none. */
    public static final String OPERATOR_STOP = "stopped by the operator";

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem<?> system;
    private final Engine engine;
    private RunHistory.Reader reader;
    private final String runId;
    private final Path out;
    private final PrintWriter console;
    private final PrintWriter progress;
    private final boolean terminal;
    private final Duration plainEvery;

    public RunSession(EmbeddedNode node, Path out, PrintWriter console, PrintWriter progress) {
        this(node.system(), node.engine(), RUN_ID, out, console, progress);
    }

    /**
     * A session on any cluster member (a client member reaches the run through the sharding proxy); a plain
     * progress line comes every {@code galapagos.console.progress-every} when the output is not a terminal.
     */
    public RunSession(ActorSystem<?> system, Engine engine, String runId, Path out, PrintWriter console,
                      PrintWriter progress) {
        this(system, engine, runId, out, console, progress, System.console() != null,
                system.settings().config().getDuration("galapagos.console.progress-every"));
    }

    private RunSession(ActorSystem<?> system, Engine engine, String runId, Path out, PrintWriter console,
                       PrintWriter progress, boolean terminal, Duration plainEvery) {
        this.system = system;
        this.engine = engine;
        this.runId = runId;
        this.out = out;
        this.console = console;
        this.progress = progress;
        this.terminal = terminal;
        this.plainEvery = plainEvery;
    }

    public EntityRef<Run.Command> run() {
        return engine.run(runId);
    }

    public RunStatus start(RunSettings settings) {
        return await(run().askWithStatus(replyTo -> new Run.Start(settings, replyTo), ASK_TIMEOUT));
    }

    public RunStatus resume() {
        return await(run().askWithStatus(Run.Resume::new, ASK_TIMEOUT));
    }

    /**
     * Resumes the run with a new total budget (empty keeps one); a completed or stopped run runs again.
     *
     * @param wallClockMillis the new run-time budget over all sessions; 0 = no limit
     */
    public RunStatus extend(Optional<Long> iterations, Optional<Long> wallClockMillis) {
        return await(run().askWithStatus(replyTo -> new Run.ExtendBudget(iterations, wallClockMillis, replyTo),
                ASK_TIMEOUT));
    }

    public RunStatus status() {
        return await(run().ask(Run.GetStatus::new, ASK_TIMEOUT));
    }

    /** Stops the run gracefully: its islands propose nothing more, finish what is in flight, and it completes. */
    public RunStatus stop(String reason) {
        return await(run().askWithStatus(replyTo -> new Run.Stop(reason, replyTo), ASK_TIMEOUT));
    }

    /**
     * Passes a stop request found in the folder to the run; the file goes once the run has taken it, and
     * stays (to be tried again on the next tick) while the run does not answer.
     */
    private void takeStopRequest() {
        Path request = out.resolve(STOP_REQUEST);
        if (!Files.isRegularFile(request)) {
            return;
        }
        String reason;
        try {
            reason = Printable.escape(Files.readString(request).strip());
        } catch (IOException e) {
            return; // being written: the next tick reads it
        }
        String why = reason.isEmpty() ? OPERATOR_STOP : reason;
        run().<RunStatus>askWithStatus(replyTo -> new Run.Stop(why, replyTo), ASK_TIMEOUT).whenComplete((status, error) -> {
            if (error == null) {
                try {
                    Files.deleteIfExists(request);
                } catch (IOException e) {
                    // a stop request that cannot be removed is taken again: Stop is idempotent
                }
            }
        });
    }

    /** Prints one progress line every {@code interval} until the run completes; returns the final status. */
    public RunStatus follow(Duration interval) throws InterruptedException {
        return follow(interval, Optional.empty());
    }

    /**
     * As {@link #follow(Duration)}, but gives up with {@link RunSilent} when the run did not answer for
     * {@code silence}, and with {@link MemberStopped} when this member's actor system stops (the cluster
     * removed it): a client never waits forever.
     */
    public RunStatus follow(Duration interval, Optional<Duration> silence) throws InterruptedException {
        return follow(interval, silence, new CompletableFuture<>()).orElseThrow();
    }

    /**
     * As {@link #follow(Duration, Optional)}, and stops following when {@code stop} completes first:
     * empty then (the run goes on in the journal until this member stops, and resumes later).
     */
    public Optional<RunStatus> follow(Duration interval, Optional<Duration> silence, CompletionStage<?> stop)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        long[] lastAnswer = {System.nanoTime()};
        long[] evaluatedAtStart = {-1};
        long[] lastPlain = {0};
        CompletableFuture<RunStatus> completed = new CompletableFuture<>();
        // the run's status is asked on the actor system's scheduler; this thread only waits for the end
        Duration askTimeout = silence.filter(s -> s.compareTo(ASK_TIMEOUT) < 0).orElse(ASK_TIMEOUT);
        Cancellable ticks = system.scheduler().scheduleWithFixedDelay(Duration.ZERO, interval, () -> {
            synchronized (evaluatedAtStart) {
                if (silence.isPresent() && System.nanoTime() - lastAnswer[0] > silence.get().toNanos()) {
                    completed.completeExceptionally(new RunSilent("the run '" + runId + "' did not answer for "
                            + Durations.format(silence.get())));
                    return;
                }
            }
            takeStopRequest();
            // the executor named: Pekko's answer is a Scala future, whose non-async callbacks run on the JDK's
            // default executor, a new thread per callback when the machine has fewer than 3 cores
            run().ask(Run.GetStatus::new, askTimeout).whenCompleteAsync((status, error) -> {
                    if (error != null) {
                        // a run whose controller just died answers again once it restarted on a survivor
                        synchronized (evaluatedAtStart) {
                            if (!completed.isDone() && !stop.toCompletableFuture().isDone()) {
                                show(() -> "the run does not answer yet (" + error.getClass().getSimpleName() + ")", lastPlain);
                            }
                        }
                    } else if (status.phase() == RunStatus.Phase.COMPLETED) {
                        completed.complete(status);
                    } else if (!completed.isDone()) {
                        synchronized (evaluatedAtStart) {
                            lastAnswer[0] = System.nanoTime();
                            if (evaluatedAtStart[0] < 0) {
                                evaluatedAtStart[0] = status.evaluated();
                            }
                            if (!stop.toCompletableFuture().isDone()) {
                                double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
                                long evaluated = status.evaluated() - evaluatedAtStart[0];
                                show(() -> progressLine(status, evaluated / seconds), lastPlain);
                            }
                        }
                    }
                }, system.executionContext());
        }, system.executionContext());
        system.getWhenTerminated().thenRun(() -> completed.completeExceptionally(
                new MemberStopped("this member's actor system stopped (removed from the cluster?)")));
        RunStatus status;
        try {
            CompletableFuture.anyOf(completed, stop.toCompletableFuture()).get();
            if (!completed.isDone()) {
                synchronized (evaluatedAtStart) {
                    if (terminal) {
                        // ends the progress line, so that what follows starts on a line of its own
                        progress.println();
                        progress.flush();
                    }
                }
                return Optional.empty();
            }
            status = completed.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            ticks.cancel();
        }
        synchronized (evaluatedAtStart) {
            String last = progressLine(status, (status.evaluated() - Math.max(0, evaluatedAtStart[0]))
                    / Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9));
            progress.println(terminal ? "\r" + pad(last) : last);
            progress.flush();
        }
        return Optional.of(status);
    }

    /**
     * On a terminal, rewrites the one progress line in place; elsewhere (a log file, a pipe) prints a plain
     * line at most every {@link #plainEvery}, so that files do not fill with carriage returns.
     */
    /** @param line rendered only when shown: a follower that polls often must not format lines nobody sees */
    private void show(java.util.function.Supplier<String> line, long[] lastPlain) {
        if (terminal) {
            progress.print("\r" + pad(line.get()));
            progress.flush();
        } else if (lastPlain[0] == 0 || System.nanoTime() - lastPlain[0] >= plainEvery.toNanos()) {
            lastPlain[0] = System.nanoTime();
            progress.println(line.get());
            progress.flush();
        }
    }

    private String progressLine(RunStatus status, double rate) {
        return ProgressLine.render(status, rate, terminal ? ProgressLine.TERMINAL_WIDTH : Integer.MAX_VALUE);
    }

    /** Pads a line to the terminal width, so that it covers a longer line it rewrites. */
    private static String pad(String line) {
        return line.length() >= ProgressLine.TERMINAL_WIDTH ? line
                : line + " ".repeat(ProgressLine.TERMINAL_WIDTH - line.length());
    }

    /** The run did not answer for longer than the client's answer timeout. */
    public static final class RunSilent extends IllegalStateException {
        RunSilent(String message) {
            super(message);
        }
    }

    /** The member that followed the run stopped: the cluster removed it, or it left. */
    public static final class MemberStopped extends IllegalStateException {
        MemberStopped(String message) {
            super(message);
        }
    }

    /** How often the output refresher appends new candidates (and their history.csv rows), and rewrites best/. */
    public static final Duration CANDIDATES_EVERY = Duration.ofSeconds(3);
    public static final Duration OUTPUTS_EVERY = Duration.ofSeconds(30);

    /** The longest the outputs wait for a (resumed) run to evaluate before they start following it anyway. */
    public static final Duration REFRESH_WAIT = Duration.ofSeconds(30);

    /**
     * Starts keeping the output folder current while the run goes (see {@link OutputRefresher}), from when the
     * run evaluates again (see {@link #evaluating}); close it before {@link #finish}.
     */
    public OutputRefresher refreshOutputs(RunTask task) {
        return OutputRefresher.start(reader(), out, task, CANDIDATES_EVERY, OUTPUTS_EVERY,
                LifecycleLog.Where.node(system).run(runId), evaluating(REFRESH_WAIT));
    }

    /**
     * Completes once every island of the run counts more evaluations than at the run's first answer (or has
     * finished), or the run answers that it is no longer running, and at the latest after {@code wait}: a
     * resumed run's islands recover from their snapshots meanwhile, and work that shares the process's cores
     * with them (the first refresh of the outputs reads the candidate files and the journal) would put their
     * recovery off, past the journal's recovery timeout for a long run's. An island's count grows with its first
     * report after recovery (a killed run journalled evaluations its run had not counted yet) or with new
     * evaluations, whichever comes first: either way that island has recovered. Waiting for the first island
     * alone let a long run's refresh start beside the others' recovery.
     */
    CompletableFuture<Void> evaluating(Duration wait) {
        CompletableFuture<Void> evaluating = new CompletableFuture<>();
        Map<Integer, Long> first = new HashMap<>();
        boolean[] answered = {false};
        Cancellable asks = system.scheduler().scheduleWithFixedDelay(Duration.ZERO, Duration.ofMillis(250), () ->
                run().ask(Run.GetStatus::new, ASK_TIMEOUT).whenCompleteAsync((status, error) -> { // see follow
                    if (error != null) {
                        return; // asked again at the next tick; the wait bounds it all
                    }
                    synchronized (first) {
                        if (status.phase() != RunStatus.Phase.RUNNING
                                || (answered[0] && allIslandsMovedOn(status, first))) {
                            evaluating.complete(null);
                        } else if (!answered[0]) {
                            answered[0] = true;
                            status.islands().forEach(i -> first.put(i.islandNo(), i.evaluated()));
                        }
                    }
                }, system.executionContext()), system.executionContext());
        Cancellable deadline = system.scheduler().scheduleOnce(wait, () -> evaluating.complete(null),
                system.executionContext());
        evaluating.whenComplete((done, error) -> {
            asks.cancel();
            deadline.cancel();
        });
        system.getWhenTerminated().thenRun(() -> evaluating.complete(null));
        return evaluating;
    }

    /**
     * Whether every island the run expects has finished or counts more evaluations than {@code first} (an
     * island the first answer did not list counts from nothing).
     */
    static boolean allIslandsMovedOn(RunStatus status, Map<Integer, Long> first) {
        int islands = status.settings().map(RunSettings::islands).orElse(status.islands().size());
        if (status.islands().size() < islands) {
            return false;
        }
        return status.islands().stream()
                .allMatch(i -> i.finished() || i.evaluated() > first.getOrDefault(i.islandNo(), -1L));
    }

    /**
     * The one incremental reader of this run's journal in this process: the output refresher and the
     * dashboard share it, so that a long run's history is held once.
     */
    public synchronized RunHistory.Reader reader() {
        if (reader == null) {
            // the candidate log writes out every candidate a history lists before the reader counts it instead
            reader = new RunHistory.Reader(system, runId, true);
        }
        return reader;
    }

    /**
     * Reads the history, writes the output files and prints the summary: the best next to the seed, its
     * parent and the baselines, with the task's constraint metrics, and warnings when the best is worse.
     */
    public RunHistory finish(RunTask task, CandidateEvaluator evaluator) {
        RunHistory history = RunHistory.load(system, runId, ASK_TIMEOUT);
        RunOutputs.write(out, history, task.programFile());
        CandidateLog.open(out, task.programExtension()).append(history);
        RunComparison comparison = compare(task, evaluator, history);
        comparison.write(out);
        // the picture and the page again, now with the baselines and TEST scores the summary evaluated
        RunOutputs.write(out, history, task.programFile(), comparison);
        console.println();
        comparison.lines(task.label()).forEach(console::println);
        long reEvaluations = history.reEvaluations().values().stream().mapToLong(List::size).sum();
        console.printf(Locale.ROOT, "%n%d candidates evaluated%s (%d proposals failed, of which %d duplicates and %d "
                        + "near-duplicates not evaluated), %s, %s; results in %s%n",
                history.evaluatedCount(), reEvaluations == 0 ? "" : " and " + reEvaluations + " re-evaluations of "
                        + "would-be bests", history.failedProposals(), history.duplicates(), history.nearDuplicates(),
                history.completion().orElse("not completed"), Durations.formatMillis(history.elapsedMillis()), out);
        history.settings().flatMap(s -> s.generation().llm()).ifPresent(llm ->
                console.printf(Locale.ROOT, "model choice: %s%n", llm.selection().key()));
        Map<String, RunHistory.Earned> earned = history.earned();
        history.spending().forEach((model, t) -> {
            RunHistory.Earned e = earned.getOrDefault(model, new RunHistory.Earned(0, 0, 0));
            console.printf(Locale.ROOT, "%s: %d calls, %d prompt + %d completion tokens, $%.4f; "
                            + "%d of %d evaluated children beat their parent, by %.4g in all%n", model, t.calls(),
                    t.promptTokens(), t.completionTokens(), t.costUsd(), e.improved(), e.children(), e.improvement());
        });
        return history;
    }

    /**
     * Baselines evaluated now (TRAIN and TEST), the seed and the best from the history; the seed's and
     * the best's TEST are evaluated when the history has none.
     */
    private static RunComparison compare(RunTask task, CandidateEvaluator evaluator, RunHistory history) {
        RunSettings settings = history.settings().orElseThrow();
        boolean train = task.splits().contains("TRAIN");
        boolean test = task.splits().contains("TEST");
        // every evaluation is submitted before any is awaited, so that they share the sandbox's slots
        record Pending(String name, Optional<CompletableFuture<EvaluationResult>> train,
                       Optional<CompletableFuture<EvaluationResult>> test) {
        }
        List<Pending> pending = new ArrayList<>();
        for (Baseline baseline : task.baselines()) {
            if (baseline.source().equals(settings.initialProgram())) {
                continue; // the seed's own row shows it
            }
            pending.add(new Pending(baseline.name(),
                    train ? Optional.of(submit(evaluator, settings, baseline.name(), baseline.source(), "TRAIN"))
                            : Optional.empty(),
                    test ? Optional.of(submit(evaluator, settings, baseline.name(), baseline.source(), "TEST"))
                            : Optional.empty()));
        }
        Optional<CompletableFuture<EvaluationResult>> seedTestRun = test && RunComparison.seedNeedsTest(history)
                ? Optional.of(submit(evaluator, settings, "seed", settings.initialProgram(), "TEST"))
                : Optional.empty();
        // a best that is still the seed's code needs no second evaluation of it
        Optional<CompletableFuture<EvaluationResult>> bestTestRun = history.best()
                .filter(b -> test && b.test().isEmpty())
                .map(b -> b.code().equals(settings.initialProgram()) && seedTestRun.isPresent() ? seedTestRun.get()
                        : submit(evaluator, settings, "best", b.code(), "TEST"));
        List<RunComparison.Row> baselines = new ArrayList<>();
        for (Pending p : pending) {
            baselines.add(new RunComparison.Row(RunComparison.BASELINE + p.name(), Optional.empty(),
                    p.train().map(f -> outcome(await(f, p.name(), "TRAIN"))),
                    p.test().map(f -> outcome(await(f, p.name(), "TEST")))));
        }
        Optional<RunComparison.Outcome> seedTest = seedTestRun.map(f -> outcome(await(f, "seed", "TEST")));
        Optional<RunComparison.Outcome> bestTest = bestTestRun.map(f -> outcome(await(f, "best", "TEST")));
        return RunComparison.of(history, task.constraintMetrics(), baselines, seedTest, bestTest);
    }

    static RunComparison.Outcome outcome(EvaluationResult result) {
        return new RunComparison.Outcome(result.status().name(),
                result.succeeded() && Double.isFinite(result.score()) ? Optional.of(result.score()) : Optional.empty(),
                result.metrics());
    }

    /** Evaluates a program that is not one of the run's candidates (a baseline, the seed on TEST) on one split. */
    static EvaluationResult evaluate(CandidateEvaluator evaluator, RunSettings settings, String name,
                                     String source, String split) {
        return await(submit(evaluator, settings, name, source, split), name, split);
    }

    private static CompletableFuture<EvaluationResult> submit(CandidateEvaluator evaluator, RunSettings settings,
                                                              String name, String source, String split) {
        EvaluationRequest request = new EvaluationRequest("summary/" + name + "/" + split, "summary/" + name, "summary",
                settings.taskId(), source, Optional.empty(), List.of(split), settings.dataDirectory(), settings.dataSeed(),
                EvaluationRequest.Purpose.HELD_OUT_TEST);
        return evaluator.evaluate(request).toCompletableFuture();
    }

    private static EvaluationResult await(CompletableFuture<EvaluationResult> evaluation, String name, String split) {
        try {
            return evaluation.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("cannot evaluate " + name + " on " + split + ": " + e, e);
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(ASK_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the run does not answer: " + e, e);
        }
    }
}
