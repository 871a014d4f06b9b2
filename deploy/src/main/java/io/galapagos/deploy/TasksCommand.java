package io.galapagos.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.worker.external.TaskDirectory;
import io.galapagos.worker.external.TaskDirectoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code galapagos tasks}: the tasks on the class path and their shipped candidates. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "Lists the tasks and their baselines, or prints a shipped candidate's source (--show ID NAME).")
public final class TasksCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "A machine-readable list.")
    private boolean json;

    @Option(names = "--show", arity = "2", paramLabel = "ID NAME", description = "Print the source of baseline NAME of task ID.")
    private List<String> show;

    @Option(names = "--task-dir", paramLabel = "DIR", description = "Describe a task folder as a run would read it.")
    private Path taskDir;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        TaskRegistry tasks = TaskRegistry.load();
        if (taskDir != null) {
            if (show != null) {
                return usage("--show names a built-in task; a task folder's programs are its files");
            }
            TaskDirectory folder;
            try {
                folder = TaskDirectory.load(taskDir.toAbsolutePath().normalize());
            } catch (TaskDirectoryException e) {
                return usage(e.getMessage());
            }
            Map<String, Object> described = describe(folder);
            if (json) {
                out.println(EvaluateCommand.JSON.writeValueAsString(described));
            } else {
                described.forEach((key, value) -> out.printf("%-20s %s%n", key, value instanceof List<?> list
                        ? list.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) : value));
            }
        } else if (show != null) {
            Optional<Task<?>> task = tasks.find(show.get(0));
            if (task.isEmpty()) {
                return usage(EvaluateCommand.unknownTask(show.get(0)));
            }
            Optional<Baseline> baseline = task.get().baseline(show.get(1));
            if (baseline.isEmpty()) {
                return usage("task " + show.get(0) + " has no baseline '" + show.get(1) + "' (known: "
                        + EvaluateCommand.baselineNames(task.get()) + ")");
            }
            out.print(baseline.get().source());
        } else if (json) {
            List<Map<String, Object>> list = tasks.all().stream().map(TasksCommand::describe).toList();
            out.println(EvaluateCommand.JSON.writeValueAsString(list));
        } else {
            for (Task<?> task : tasks.all()) {
                out.printf("%-20s %s: %s (baselines: %s)%n", task.id(), task.title(), task.summary(),
                        EvaluateCommand.baselineNames(task));
                task.timingTerm().ifPresent(term -> out.printf("%-20s timing-based score: %s%n", "", term));
                if (task.stochastic()) {
                    out.printf("%-20s stochastic: island bests are re-evaluated (galapagos.islands.noise)%n", "");
                }
            }
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> describe(Task<?> task) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", task.id());
        object.put("title", task.title());
        object.put("summary", task.summary());
        object.put("candidateInterface", task.candidateType().getName());
        object.put("featureMetric", task.featureMetric());
        object.put("timingBased", task.timingBased());
        object.put("timingTerm", task.timingTerm().orElse(null));
        object.put("stochastic", task.stochastic());
        object.put("baselines", task.baselines().stream()
                .map(b -> Map.of("name", b.name(), "description", b.description())).toList());
        return object;
    }

    private static Map<String, Object> describe(TaskDirectory folder) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", folder.id());
        object.put("title", folder.title());
        object.put("layout", folder.openEvolve().isPresent() ? "OpenEvolve" : TaskDirectory.CONF_FILE);
        object.put("language", folder.language());
        object.put("program", folder.programFileName());
        object.put("evaluator", String.join(" ", folder.evaluatorCommand()));
        object.put("mode", folder.mode().label());
        object.put("interpreter", folder.interpreter());
        object.put("splits", folder.splits());
        object.put("score", folder.scoreMetric() + (folder.higherIsBetter() ? " (higher is better)" : " (lower is better, negated)"));
        object.put("featureMetric", folder.featureMetric().orElse("none"));
        object.put("timeout", folder.timeout().toSeconds() + " s per split");
        object.put("baselines", List.copyOf(folder.baselines().keySet()));
        object.put("shipped", folder.shippedFiles().size() + " files");
        object.put("environment", folder.environment());
        folder.openEvolve().ifPresent(c -> object.put("unsupported", c.unsupportedKeys()));
        return object;
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("galapagos tasks: " + message);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }
}
