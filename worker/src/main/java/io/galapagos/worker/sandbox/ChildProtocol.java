package io.galapagos.worker.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON lines a sandbox parent and its child exchange, one object per line. */
final class ChildProtocol {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ChildProtocol() {
    }

    /**
     * Parent to child: compile the source and run the cascade. With {@code compileOnly} the child only
     * compiles (the parent could not parse the source and wants the compiler's diagnostics).
     */
    record Request(long id, String taskId, String source, List<Split> cascade, Data data, boolean details,
                   boolean compileOnly, long softDeadlineMillis) {
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

    /** Child to parent. */
    record Reply(String type, long id, Split split, EvaluationStatus status, double score, Map<String, Double> metrics,
                 String feedback, List<Map<String, Object>> runs, String output, long outputBytes) {

        /** The child is up and its compiler warm; {@code id} carries the child's pid. */
        static final String READY = "ready";
        /** One split evaluated (or the compile failed, or the workloads could not be loaded). */
        static final String SPLIT = "split";
        /** The source compiled ({@code compileOnly} requests). */
        static final String COMPILED = "compiled";
        /** The child's own watchdog saw the deadline pass; {@code feedback} says where the candidate was. */
        static final String STUCK = "stuck";

        static Reply ready(long pid) {
            return new Reply(READY, pid, null, EvaluationStatus.OK, 0, Map.of(), "", List.of(), "", 0);
        }
    }
}
