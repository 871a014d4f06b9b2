package io.galapagos.controller.generation;

import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.util.Objects;

/** What a prompt says about the task: its problem statement and the candidate API. */
public record TaskBrief(String taskId, String problemStatement, String candidateApi) {

    public TaskBrief {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(problemStatement, "problemStatement");
        Objects.requireNonNull(candidateApi, "candidateApi");
    }

    public static TaskBrief of(Task<?> task) {
        return new TaskBrief(task.id(), task.problemStatement(), task.candidateApi());
    }

    /** The brief of a task on the class path; fails with the known ids when there is none. */
    public static TaskBrief lookup(String taskId) {
        return of(TaskRegistry.load().require(taskId));
    }
}
