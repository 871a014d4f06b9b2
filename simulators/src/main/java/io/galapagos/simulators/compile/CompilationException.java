package io.galapagos.simulators.compile;

import java.util.List;
import java.util.stream.Collectors;

/** A candidate that does not compile, or does not have the shape its task requires. */
public final class CompilationException extends Exception {

    /** One compiler message; line and column are 1-based, 0 when unknown. */
    public record Problem(long line, long column, String message, String sourceLine) {
        @Override
        public String toString() {
            String where = line > 0 ? "line " + line + (column > 0 ? ", column " + column : "") + ": " : "";
            String code = sourceLine == null || sourceLine.isBlank() ? "" : "\n    " + sourceLine.strip();
            return where + message + code;
        }
    }

    private final List<Problem> problems;

    public CompilationException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
