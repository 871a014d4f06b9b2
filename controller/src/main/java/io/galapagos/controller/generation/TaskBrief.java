package io.galapagos.controller.generation;

import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.Task;
import io.galapagos.simulators.TaskRegistry;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a prompt says about the task: its problem statement, the candidate API and the language the
 * candidate is written in ({@code java} for the built-in tasks; see {@link SourceLanguage#of}).
 */
public record TaskBrief(String taskId, String problemStatement, String candidateApi, String language) {

    public TaskBrief {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(problemStatement, "problemStatement");
        Objects.requireNonNull(candidateApi, "candidateApi");
        Objects.requireNonNull(language, "language");
        language = language.strip().toLowerCase(Locale.ROOT);
        if (language.isEmpty()) {
            throw new IllegalArgumentException("the language of task " + taskId + " is blank");
        }
    }

    /** A built-in task: a Java class implementing the task's candidate API. */
    public static TaskBrief of(Task<?> task) {
        return new TaskBrief(task.id(), task.problemStatement(), task.candidateApi(), SourceLanguage.JAVA.name());
    }

    /** The brief of a task on the class path; fails with the known ids when there is none. */
    public static TaskBrief lookup(String taskId) {
        return of(TaskRegistry.load().require(taskId));
    }

    /**
     * A task described by a folder: the candidate is the whole file {@code programFileName}, run by the
     * task's evaluator. The candidate API tells a model so, as comment lines of the program's language.
     */
    public static TaskBrief external(String taskId, String problemStatement, String programFileName, String language) {
        SourceLanguage source = SourceLanguage.of(language);
        String comment = source.lineComment().isEmpty() ? "" : source.lineComment() + " ";
        String text = PromptBuilder.render("external-candidate.txt", Map.of(
                "file", programFileName,
                "language", source.displayName(),
                "start", comment + EvolveBlocks.START,
                "end", comment + EvolveBlocks.END));
        String api = text.strip().lines().map(line -> line.isBlank() ? comment.strip() : comment + line)
                .collect(Collectors.joining("\n"));
        return new TaskBrief(taskId, problemStatement, api, language);
    }

    /** The candidate's language, with what prompts and the text mutator need to know of it. */
    public SourceLanguage sourceLanguage() {
        return SourceLanguage.of(language);
    }
}
