package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A data directory reaches the jailed evaluator read-only, named by GALAPAGOS_DATA_DIR (and "data_dir" when warm). */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(300)
class ExternalDataDirectoryTest {

    /**
     * Reports the data directory it was told about, the number in its {@code value.txt}, and what happened when it
     * tried to write there; a warm request's {@code data_dir} must agree with the environment.
     */
    private static final String EVALUATOR = """
            import errno, json, os, sys

            def run(request_dir):
                data = os.environ.get("GALAPAGOS_DATA_DIR")
                if data is None:
                    return {"metrics": {"combined_score": -1.0}, "feedback": "no data directory"}
                if request_dir is not None and request_dir != data:
                    return {"status": "runtime_error", "reason": "request names %s, environment %s" % (request_dir, data)}
                value = float(open(os.path.join(data, "value.txt")).read())
                try:
                    with open(os.path.join(data, "written.txt"), "w") as f:
                        f.write("x")
                    write = "written"
                except OSError as e:
                    write = errno.errorcode.get(e.errno, str(e.errno))
                return {"metrics": {"combined_score": value, "pid": float(os.getpid())},
                        "feedback": "data_dir=%s write=%s" % (data, write)}

            if len(sys.argv) == 3:
                print(json.dumps(run(None)))
            else:
                for line in sys.stdin:
                    request = json.loads(line)
                    result = run(request.get("data_dir"))
                    result["id"] = request["id"]
                    print(json.dumps(result), flush=True)
            """;

    private static Jail jail;

    @TempDir
    Path task;
    @TempDir
    Path first;
    @TempDir
    Path second;

    @BeforeAll
    static void makeTheJail() {
        jail = ExternalTasks.jail();
    }

    private TaskDirectory task(String mode) throws IOException {
        ExternalTasks.confTask(task, mode, "");
        Files.writeString(task.resolve("evaluate.py"), EVALUATOR);
        return TaskDirectory.load(task);
    }

    /** World-writable, so that only the read-only bind can refuse the evaluator's write. */
    private static Path data(Path dir, String value) throws IOException {
        Files.writeString(dir.resolve("value.txt"), value);
        Files.setPosixFilePermissions(dir.resolve("value.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    private static SandboxOutcome evaluate(ExternalEvaluator evaluator, Optional<Path> data) {
        try {
            return evaluator.evaluate(ExternalTasks.HONEST, List.of(Split.TRAIN), data).toCompletableFuture()
                    .get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within 120 s", e);
        }
    }

    @Test
    void onceModeEvaluatorSeesTheDataDirectoryReadOnly() throws IOException {
        data(first, "3.5");
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task("once"), jail, ExternalTasks.settings(1))) {
            SandboxOutcome outcome = evaluate(evaluator, Optional.of(first));
            assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(outcome.score()).isEqualTo(3.5);
            assertThat(outcome.feedback()).contains("data_dir=" + first.toAbsolutePath()).contains("write=EROFS");
            assertThat(first.resolve("written.txt")).doesNotExist();
            SandboxOutcome without = evaluate(evaluator, Optional.empty());
            assertThat(without.score()).as("no directory, no variable").isEqualTo(-1.0);
        }
    }

    @Test
    void warmProcessIsReplacedWhenARequestNamesAnotherDataDirectory() throws IOException {
        data(first, "1.0");
        data(second, "2.0");
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task("warm"), jail, ExternalTasks.settings(1))) {
            SandboxOutcome a = evaluate(evaluator, Optional.of(first));
            SandboxOutcome again = evaluate(evaluator, Optional.of(first));
            SandboxOutcome b = evaluate(evaluator, Optional.of(second));
            SandboxOutcome none = evaluate(evaluator, Optional.empty());
            assertThat(List.of(a, again, b)).allSatisfy(o -> assertThat(o.status()).as(o.feedback())
                    .isEqualTo(EvaluationStatus.OK));
            assertThat(a.score()).isEqualTo(1.0);
            assertThat(a.feedback()).contains("write=EROFS");
            assertThat(again.metrics().get("pid")).as("the same directory keeps the process")
                    .isEqualTo(a.metrics().get("pid"));
            assertThat(b.score()).isEqualTo(2.0);
            assertThat(b.feedback()).contains("data_dir=" + second.toAbsolutePath()).contains("write=EROFS");
            assertThat(none.score()).isEqualTo(-1.0);
            assertThat(first.resolve("written.txt")).doesNotExist();
            assertThat(second.resolve("written.txt")).doesNotExist();
        }
    }

    @Test
    void missingDataDirectoryIsReportedWithoutRunningTheEvaluator() throws IOException {
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task("once"), jail, ExternalTasks.settings(1))) {
            SandboxOutcome outcome = evaluate(evaluator, Optional.of(first.resolve("absent")));
            assertThat(outcome.status()).isEqualTo(EvaluationStatus.SANDBOX_CRASH);
            assertThat(outcome.feedback()).contains("absent").contains("is not a directory");
        }
    }
}
