package io.galapagos.worker.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.compile.CompilationException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON lines a sandbox parent and its child exchange, one object per line. */
final class ChildProtocol {

    /** What the child reads: written by the parent, so unknown fields are a version skew to tolerate. */
    static final ObjectMapper REQUESTS = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What the parent reads: from a process that ran hostile code, so nothing unexpected is accepted. */
    static final ObjectMapper REPLIES = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true);

    private ChildProtocol() {
    }

    /**
     * Parent to child: check and load the candidate's class files (made by the pool's compiler from the
     * candidate's source) and run the cascade. With {@code compileOnly} the child only checks and loads
     * them (the parent could not parse the source and wants to know whether it has the required shape).
     *
     * @param nonce               a secret of this request; a reply counts only if it carries it back, and
     *                            no candidate can read it (it never leaves the harness's private state)
     * @param publicClass         binary name of the candidate's public class
     * @param classes             every class file of the candidate, by binary name
     * @param softCompileMillis   when the child's watchdog reports a check and load that are still running
     * @param softDeadlinesMillis per split of the cascade, when the watchdog reports where the candidate spins
     */
    record Request(long id, String nonce, String taskId, String publicClass, Map<String, byte[]> classes,
                   List<Split> cascade, Data data, boolean details, boolean compileOnly, long softCompileMillis,
                   List<Long> softDeadlinesMillis) {
    }

    /** Parent to compiler: compile one candidate's source against its task's API. */
    record CompileRequest(long id, String nonce, String taskId, String source) {
    }

    /**
     * Compiler to parent: the class files ({@link #CLASSES}), the compiler's errors ({@link #ERRORS}),
     * {@link #TOO_DEEP} when the source is nested too deeply for the compiler's stack, or {@link #FAILED}
     * when the compiler itself failed (its one problem says how); after the last two the compiler exits.
     */
    record CompileReply(String type, long id, String nonce, String publicClass, Map<String, byte[]> classes,
                        List<CompilationException.Problem> problems) {
        static final String CLASSES = "classes";
        static final String ERRORS = "errors";
        static final String TOO_DEEP = "too-deep";
        static final String FAILED = "failed";
    }

    /** A {@link DataSource} as JSON: {@code synthetic} with a seed, or {@code directory} with a path. */
    record Data(String kind, long seed, String directory) {
        static Data of(DataSource source) {
            if (source instanceof DataSource.Directory) {
                return new Data("directory", 0, ((DataSource.Directory) source).root().toString());
            }
            return new Data("synthetic", ((DataSource.Synthetic) source).seed(), "");
        }

        DataSource toDataSource() {
            return "directory".equals(kind) ? DataSource.directory(Path.of(directory)) : new DataSource.Synthetic(seed);
        }
    }

    /**
     * Child to parent.
     *
     * @param elapsedMillis time the split took in the child (deadlines are calibrated on the initial program's)
     * @param extraThreads  threads alive after the split that the harness did not start; any is a reason to
     *                      replace the child
     * @param times         where the child's time went, for the engine benchmark's breakdown (diagnostics only:
     *                      no decision depends on it)
     */
    record Reply(String type, long id, String nonce, Split split, EvaluationStatus status, double score,
                 Map<String, Double> metrics, String feedback, List<Map<String, Object>> runs, String output,
                 long outputBytes, long elapsedMillis, int extraThreads, Times times) {

        /** The child is up and its compiler warm; {@code id} carries the child's pid. */
        static final String READY = "ready";
        /** One split evaluated (or the compile failed, or the workloads could not be loaded). */
        static final String SPLIT = "split";
        /** The source compiled ({@code compileOnly} requests). */
        static final String COMPILED = "compiled";
        /** The child's own watchdog saw the deadline pass; {@code feedback} says where the candidate was. */
        static final String STUCK = "stuck";

        static Reply ready(long pid) {
            return new Reply(READY, pid, "", null, EvaluationStatus.OK, 0, Map.of(), "", List.of(), "", 0, 0, 0,
                    Times.NONE);
        }
    }

    /**
     * Nanoseconds the child spent on one reply's work: the compile and the bytecode check count on the first
     * split of a request only, so that a request's times add up over its replies.
     */
    record Times(long compileNanos, long bytecodeNanos, long splitNanos) {
        static final Times NONE = new Times(0, 0, 0);
    }
}
