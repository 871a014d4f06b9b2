package io.galapagos.deploy.engine;

import io.galapagos.controller.generation.SourceLanguage;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.run.RunSettings;
import io.galapagos.deploy.web.Dashboard;
import io.galapagos.simulators.Baseline;
import io.galapagos.worker.CandidateEvaluator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The tasks of the runs a dashboard shows: the language of their programs and their baselines. On a
 * node that evaluates, the baselines' TRAIN scores are evaluated once per run in the background, one at
 * a time next to the search, so that the chart draws them while the search goes; an embedded run's
 * summary, once written, has them all.
 */
public final class DashboardTasks implements Dashboard.RunTasks, AutoCloseable {

    private final Function<String, RunTask> tasks;
    private final Optional<CandidateEvaluator> evaluator;
    private final Optional<Path> out;
    private final Map<String, Optional<RunTask>> known = new ConcurrentHashMap<>();
    private final Map<String, List<RunComparison.Row>> evaluated = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "galapagos-dashboard-baselines");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param tasks     the task of a run by its task id; it may throw for a task this node does not know
     * @param evaluator the node's evaluator, when it has the worker role
     * @param out       an embedded run's folder, whose summary holds the baselines of a finished run
     */
    public DashboardTasks(Function<String, RunTask> tasks, Optional<CandidateEvaluator> evaluator, Optional<Path> out) {
        this.tasks = tasks;
        this.evaluator = evaluator;
        this.out = out;
    }

    private Optional<RunTask> task(RunHistory history) {
        return history.settings().map(RunSettings::taskId).flatMap(id -> known.computeIfAbsent(id, k -> {
            try {
                return Optional.of(tasks.apply(k));
            } catch (RuntimeException e) {
                return Optional.empty(); // a task this node cannot load: no language, no baselines
            }
        }));
    }

    @Override
    public String language(String runId, RunHistory history) {
        return task(history).map(t -> SourceLanguage.of(t.programExtension()).name()).orElse("text");
    }

    @Override
    public List<RunComparison.Row> baselines(String runId, RunHistory history) {
        List<RunComparison.Row> summarised = out.map(RunComparison::baselines).orElse(List.of());
        if (!summarised.isEmpty()) {
            return summarised;
        }
        Optional<RunTask> task = task(history);
        if (evaluator.isEmpty() || task.isEmpty() || !task.get().splits().contains("TRAIN")) {
            return List.of();
        }
        List<RunComparison.Row> rows = evaluated.computeIfAbsent(runId, id -> {
            List<RunComparison.Row> list = java.util.Collections.synchronizedList(new ArrayList<>());
            RunSettings settings = history.settings().orElseThrow();
            background.execute(() -> evaluateAll(task.get(), settings, list));
            return list;
        });
        synchronized (rows) {
            return List.copyOf(rows);
        }
    }

    private void evaluateAll(RunTask task, RunSettings settings, List<RunComparison.Row> rows) {
        for (Baseline baseline : task.baselines()) {
            if (baseline.source().equals(settings.initialProgram())) {
                continue; // the seed is the run's own first candidate
            }
            try {
                RunComparison.Outcome train = RunSession.outcome(RunSession.evaluate(evaluator.orElseThrow(), settings,
                        baseline.name(), baseline.source(), "TRAIN"));
                rows.add(new RunComparison.Row(RunComparison.BASELINE + baseline.name(), Optional.empty(),
                        Optional.of(train), Optional.empty()));
            } catch (RuntimeException e) {
                return; // the node is stopping; a summary evaluates the baselines again
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
