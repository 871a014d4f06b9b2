package io.galapagos.worker.sandbox;

import io.galapagos.simulators.compile.CandidateClasses;
import io.galapagos.simulators.compile.CompilationException;

import java.time.Duration;
import java.util.List;

/** What the pool's compiler made of one candidate's source. */
sealed interface Compilation {

    /** Only what the source alone decides is kept for the same source: class files or compiler errors. */
    default boolean cacheable() {
        return this instanceof Compiled || this instanceof Failed;
    }

    /** The class files; still to be checked by the child that will define them. */
    record Compiled(CandidateClasses classes) implements Compilation {
    }

    /** The compiler's errors, with their lines. */
    record Failed(List<CompilationException.Problem> problems) implements Compilation {
        public Failed {
            problems = List.copyOf(problems);
        }

        String message() {
            return new CompilationException(problems).getMessage();
        }
    }

    /** The source is nested too deeply for the compiler's stack. */
    record TooDeep() implements Compilation {
    }

    /** The compiler ran past the compile deadline and was stopped. */
    record TimedOut(Duration deadline) implements Compilation {
    }

    /** No compiler could be started or it failed on this source; {@code why} is for the feedback. */
    record Unavailable(String why) implements Compilation {
    }
}
