package io.galapagos.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.galapagos.simulators.Baseline;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        TaskRegistry tasks = TaskRegistry.load();
        if (show != null) {
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
        object.put("baselines", task.baselines().stream()
                .map(b -> Map.of("name", b.name(), "description", b.description())).toList());
        return object;
    }

    private int usage(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("galapagos tasks: " + message);
        err.flush();
        return Galapagos.EXIT_USAGE;
    }
}
