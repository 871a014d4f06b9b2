package io.galapagos.deploy.engine;

import com.typesafe.config.Config;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.report.RunComparison;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.controller.report.RunOutputs;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.ConstraintMetric;
import io.galapagos.simulators.Objective;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.external.TaskDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a run searches, as the commands need it: a built-in task or a task folder.
 *
 * @param taskId         the id in the run's settings ({@code id@hash} for a folder)
 * @param label          what a person reads in the summary
 * @param initialProgram the seed of every island
 * @param featureMetric  the metric of the second MAP-Elites dimension ({@code ""}: none)
 * @param baselines      the shipped programs the summary scores next to the best
 * @param splits         the splits its evaluator knows
 * @param programFile    the file name of a folder's program ({@code initial_program.py}); empty for a Java class
 * @param constraintMetrics the metrics the summary shows next to the score (none for a task folder)
 * @param objectives     what a Pareto search trades off ({@code galapagos.islands.objectives = pareto})
 * @param stochastic     its evaluator may score the same program differently each time ({@code galapagos.islands.noise})
 * @param repeats        evaluations of a would-be best in all, when the task folder says
 */
public record RunTask(String taskId, String label, String initialProgram, String featureMetric, List<Baseline> baselines,
                      Set<String> splits, Optional<String> programFile, List<ConstraintMetric> constraintMetrics,
                      List<Objective> objectives, boolean stochastic, Optional<Integer> repeats) {

    public RunTask {
        baselines = List.copyOf(baselines);
        splits = Set.copyOf(splits);
        constraintMetrics = List.copyOf(constraintMetrics);
        objectives = objectives.isEmpty() ? List.of(Objective.SCORE) : List.copyOf(objectives);
    }

    /**
     * Writes the run's output files (see {@link RunOutputs}) while no summary is being made: the page
     * compares with the task's constraint metrics and the baselines of the last summary in {@code out}.
     */
    public void writeOutputs(Path out, RunHistory history) {
        writeOutputs(out, history, true);
    }

    /**
     * The same while the run goes, from a {@link RunHistory.Reader}'s history: {@code history.csv} is left
     * to the run's {@link io.galapagos.controller.report.CandidateLog}, which appends its rows.
     */
    public void writeOutputsWhileRunning(Path out, RunHistory history) {
        writeOutputs(out, history, false);
    }

    private void writeOutputs(Path out, RunHistory history, boolean table) {
        RunOutputs.write(out, history, programFile, RunComparison.of(history, constraintMetrics,
                RunComparison.baselines(out), Optional.empty(), Optional.empty()), table);
    }

    /** The constraint metrics as the islands rank by them: name to whether lower is better. */
    public Map<String, Boolean> constraintMetricsByName() {
        Map<String, Boolean> byName = new LinkedHashMap<>();
        constraintMetrics.forEach(m -> byName.put(m.name(), m.lowerIsBetter()));
        return byName;
    }

    /** The objectives as the islands rank by them. */
    public List<Objectives.Objective> islandObjectives() {
        return objectives.stream().map(o -> new Objectives.Objective(o.name(), o.maximise())).toList();
    }

    /** The extension of a candidate's file: {@code java} for a built-in task, the folder program's otherwise. */
    public String programExtension() {
        String name = programFile.orElse("Candidate.java");
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? "txt" : name.substring(dot + 1);
    }

    /** The same task, started from another program (the user's own, {@code run --initial}). */
    public RunTask withInitialProgram(String program) {
        return new RunTask(taskId, label, program, featureMetric, baselines, splits, programFile, constraintMetrics,
                objectives, stochastic, repeats);
    }

    public static RunTask of(Task<?> task) {
        return new RunTask(task.id(), task.id(), task.initialProgram().source(), task.featureMetric(), task.baselines(),
                Set.of("SMOKE", "TRAIN", "TEST"), Optional.empty(), task.constraintMetrics(), task.objectives(),
                task.stochastic(), Optional.empty());
    }

    /**
     * The task of a stored run: a built-in one by its id, or the task folder whose bundle the run's
     * database holds.
     *
     * @throws IllegalArgumentException when the id names no built-in task
     */
    public static RunTask stored(Config config, String taskId) {
        return TaskFolders.load(config, taskId).map(folder -> of(taskId, folder))
                .orElseGet(() -> of(TaskRegistry.load().require(taskId)));
    }

    public static RunTask of(String taskId, TaskDirectory folder) {
        List<Baseline> baselines = new ArrayList<>();
        for (Map.Entry<String, String> baseline : folder.baselines().entrySet()) {
            baselines.add(new Baseline(baseline.getKey(), "shipped with the task folder", baseline.getValue()));
        }
        return new RunTask(taskId, folder.id(), folder.initialProgram(), folder.featureMetric().orElse(""), baselines,
                Set.copyOf(folder.splits()), Optional.of(Path.of(folder.programFileName()).getFileName().toString()), List.of(),
                List.of(), // a folder's objectives: its score alone, for now
                folder.stochastic(), folder.repeats());
    }
}
