package io.galapagos.deploy.engine;

import io.galapagos.controller.report.RunHistory;
import io.galapagos.simulators.compile.CandidateCompiler;
import io.galapagos.simulators.compile.CompilationException;
import io.galapagos.worker.external.TaskDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a run's islands start when not from the task's initial program: the user's own program
 * ({@code run --initial FILE}) or the best programs of an earlier run ({@code run --from DIR}).
 */
public final class StartingPrograms {

    /** Programs larger than this are refused: they go into every prompt (the task folders' limit). */
    static final long MAX_PROGRAM_BYTES = 1024 * 1024;

    private StartingPrograms() {
    }

    /**
     * Reads the user's program for {@code --initial}.
     *
     * @param candidateType a built-in task's candidate interface: the program must compile against it
     * @param needsBlock    whether the task requires the EVOLVE-BLOCK markers
     * @throws IllegalArgumentException with one line saying what is wrong with the file
     */
    public static String initialProgram(Path file, Optional<Class<?>> candidateType, boolean needsBlock) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--initial " + file + ": no such file");
        } else if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--initial " + file + " is not a file");
        }
        String code;
        try {
            if (Files.size(file) > MAX_PROGRAM_BYTES) {
                throw new IllegalArgumentException("--initial " + file + " is larger than " + MAX_PROGRAM_BYTES + " bytes");
            }
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--initial " + file + " cannot be read as UTF-8 text ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        if (needsBlock) {
            TaskDirectory.blocksOrRefuse(code, "--initial " + file).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        if (candidateType.isPresent()) {
            try {
                // compiling runs none of the program's code (no annotation processing); loading initializes nothing
                new CandidateCompiler().compile(code, candidateType.get());
            } catch (CompilationException e) {
                CompilationException.Problem first = e.problems().get(0);
                String where = first.line() > 0 ? "line " + first.line() + (first.column() > 0 ? ", column "
                        + first.column() : "") + ": " : "";
                String message = first.message().lines().findFirst().orElse("").strip();
                int more = e.problems().size() - 1;
                throw new IllegalArgumentException("--initial " + file + " does not compile: " + where + message
                        + (more > 0 ? " (and " + more + " more " + (more == 1 ? "problem" : "problems") + ")" : ""));
            }
        }
        return code;
    }

    /**
     * The programs a run branched from {@code history} starts from, best first: the old run's best, each
     * old island's best, then the next best by score, {@code 1 + islands} distinct programs at most (so
     * that each new island gets the best and one more). Nothing of the old scores is kept: the new run
     * evaluates them again.
     *
     * @throws IllegalArgumentException when the old run has no program that succeeded
     */
    public static List<String> bestOf(RunHistory history, int islands) {
        List<RunHistory.Candidate> succeeded = new ArrayList<>(history.evaluated().stream()
                .filter(RunHistory.Candidate::succeeded).toList());
        if (succeeded.isEmpty()) {
            throw new IllegalArgumentException("the run to branch from has no program that was evaluated successfully");
        }
        // stable: among equal scores the earlier evaluated comes first
        succeeded.sort(Comparator.comparingDouble((RunHistory.Candidate c) -> -c.evaluation().get().score()));
        int limit = 1 + islands;
        Set<String> chosen = new LinkedHashSet<>();
        chosen.add(succeeded.get(0).code());
        Set<String> islandsSeen = new LinkedHashSet<>();
        for (RunHistory.Candidate c : succeeded) {
            if (chosen.size() < limit && islandsSeen.add(c.island())) {
                chosen.add(c.code());
            }
        }
        for (RunHistory.Candidate c : succeeded) {
            if (chosen.size() < limit) {
                chosen.add(c.code());
            }
        }
        return List.copyOf(chosen);
    }
}
