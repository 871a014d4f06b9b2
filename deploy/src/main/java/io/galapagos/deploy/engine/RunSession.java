package io.galapagos.deploy.engine;

import io.galapagos.controller.Engine;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.report.RunOutputs;
import io.galapagos.controller.run.Run;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.controller.run.RunStatus;
import io.galapagos.protocol.EvaluationRequest;
import io.galapagos.protocol.EvaluationResult;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Task;
import io.galapagos.worker.CandidateEvaluator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Follows a run on a cluster member until it completes, then writes its outputs and summary. */
public final class RunSession {

    /** The id of the one run an output directory holds. */
    public static final String RUN_ID = "run";

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
    /** While following, one status ask: short, since an ask sent to a member that just died is lost. */
    private static final Duration FOLLOW_ASK_TIMEOUT = Duration.ofSeconds(5);
    /** How long a followed run may stay silent (its controller died and it moves) before the client gives up. */
    private static final Duration FOLLOW_PATIENCE = Duration.ofMinutes(5);

    private final ActorSystem<?> system;
    private final Engine engine;
    private final String runId;
    private final Path out;
    private final PrintStream console;
    private final PrintStream progress;

    public RunSession(EmbeddedNode node, Path out, PrintStream console, PrintStream progress) {
        this(node.system(), node.engine(), RUN_ID, out, console, progress);
    }

    /** A session on any cluster member (a client member reaches the run through the sharding proxy). */
    public RunSession(ActorSystem<?> system, Engine engine, String runId, Path out, PrintStream console,
                      PrintStream progress) {
        this.system = system;
        this.engine = engine;
        this.runId = runId;
        this.out = out;
        this.console = console;
        this.progress = progress;
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

    public RunStatus status() {
        return await(run().ask(Run.GetStatus::new, ASK_TIMEOUT));
    }

    /**
     * The status, asked again while the run does not answer: after a controller dies, the run entity
     * restarts on a survivor and asks sent in between are lost.
     */
    private RunStatus statusAfterFailover() throws InterruptedException {
        long giveUp = System.nanoTime() + FOLLOW_PATIENCE.toNanos();
        while (true) {
            try {
                return run().ask(Run.GetStatus::new, FOLLOW_ASK_TIMEOUT).toCompletableFuture()
                        .get(FOLLOW_ASK_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() - giveUp > 0) {
                    throw new IllegalStateException("the run has not answered for " + FOLLOW_PATIENCE.toMinutes()
                            + " minutes: " + e, e);
                }
                progress.print("\rthe run does not answer (a controller may have died); asking again   ");
                progress.flush();
            }
        }
    }

    /** Prints one progress line every {@code interval} until the run completes; returns the final status. */
    public RunStatus follow(Duration interval) throws InterruptedException {
        long startNanos = System.nanoTime();
        long evaluatedAtStart = -1;
        RunStatus status = status();
        while (status.phase() != RunStatus.Phase.COMPLETED) {
            if (evaluatedAtStart < 0) {
                evaluatedAtStart = status.evaluated();
            }
            double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            progress.print("\r" + progressLine(status, (status.evaluated() - evaluatedAtStart) / seconds) + "   ");
            progress.flush();
            Thread.sleep(interval.toMillis());
            status = statusAfterFailover();
        }
        progress.println("\r" + progressLine(status, (status.evaluated() - Math.max(0, evaluatedAtStart))
                / Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9)) + "   ");
        return status;
    }

    static String progressLine(RunStatus status, double rate) {
        long target = status.settings().map(RunSettings::iterations).orElse(0L);
        String best = status.best().map(b -> String.format(Locale.ROOT, "%.5g", b.score())
                + b.testScore().map(t -> String.format(Locale.ROOT, " (test %.5g)", t)).orElse("")).orElse("-");
        String failures = status.failures().isEmpty() ? "none" : status.failures().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%s %d/%d evaluated | best %s | %.1f eval/s | in flight %d | failed: %s",
                status.phase().name().toLowerCase(Locale.ROOT), status.evaluated(), target, best, rate,
                status.inFlight(), failures);
    }

    /** Reads the history, writes the output files and prints the summary table. */
    public RunHistory finish(Task<?> task, CandidateEvaluator evaluator) {
        RunHistory history = RunHistory.load(system, runId, ASK_TIMEOUT);
        RunOutputs.write(out, history);
        RunSettings settings = history.settings().orElseThrow();
        List<String[]> rows = new ArrayList<>();
        for (Baseline baseline : task.baselines()) {
            rows.add(new String[]{"baseline " + baseline.name(),
                    score(evaluate(evaluator, settings, baseline.name(), baseline.source(), "TRAIN")),
                    score(evaluate(evaluator, settings, baseline.name(), baseline.source(), "TEST"))});
        }
        history.best().ifPresent(best -> {
            Optional<EvaluationResult> test = best.test().isPresent() ? Optional.empty()
                    : Optional.of(evaluate(evaluator, settings, "best", best.code(), "TEST"));
            rows.add(new String[]{"best " + best.candidateId(),
                    String.format(Locale.ROOT, "%.6g", best.evaluation().get().score()),
                    best.test().map(t -> String.format(Locale.ROOT, "%.6g", t.score())).orElseGet(() -> score(test.get()))});
        });
        console.println();
        console.printf(Locale.ROOT, "%-32s %14s %14s%n", "program (" + task.id() + ")", "TRAIN", "TEST");
        for (String[] row : rows) {
            console.printf(Locale.ROOT, "%-32s %14s %14s%n", row[0], row[1], row[2]);
        }
        console.printf(Locale.ROOT, "%n%d candidates evaluated (%d proposals failed), %s, %.1f s; results in %s%n",
                history.evaluated().size(), history.failedProposals(),
                history.completion().orElse("not completed"), history.elapsedMillis() / 1000.0, out);
        return history;
    }

    private static String score(EvaluationResult result) {
        return result.succeeded() ? String.format(Locale.ROOT, "%.6g", result.score()) : result.status().name();
    }

    private static EvaluationResult evaluate(CandidateEvaluator evaluator, RunSettings settings, String name,
                                             String source, String split) {
        EvaluationRequest request = new EvaluationRequest("summary/" + name + "/" + split, "summary/" + name, "summary",
                settings.taskId(), source, Optional.empty(), List.of(split), settings.dataDirectory(), settings.dataSeed(),
                EvaluationRequest.Purpose.HELD_OUT_TEST);
        try {
            return evaluator.evaluate(request).toCompletableFuture().get(10, TimeUnit.MINUTES);
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
