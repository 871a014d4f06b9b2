package io.galapagos.worker.external;

import com.typesafe.config.ConfigFactory;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.JailSettings;
import io.galapagos.worker.sandbox.SandboxOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Python task folders the external evaluator tests write, and the jail they run in. */
final class ExternalTasks {

    /**
     * Imports the candidate and scores {@code solve(3)}: once mode with {@code CANDIDATE SPLIT}, warm mode with
     * JSON lines. A candidate source starting with {@code # act: X} makes the evaluator misbehave instead.
     */
    static final String EVALUATOR = """
            import importlib.util, json, math, sys

            def run(path, split):
                source = open(path).read()
                if source.startswith("# act: crash"):
                    sys.stderr.write("boom: the evaluator fell over\\n")
                    sys.exit(3)
                if source.startswith("# act: prose"):
                    print("all good, score is high")
                    return None
                if source.startswith("# act: no-score"):
                    return {"metrics": {"other": 1.0}}
                if source.startswith("# act: nan"):
                    return {"score": float("nan")}
                print("evaluating", path, "on", split)
                spec = importlib.util.spec_from_file_location("candidate", path)
                module = importlib.util.module_from_spec(spec)
                try:
                    spec.loader.exec_module(module)
                    value = float(module.solve(3))
                except MemoryError:
                    raise
                except Exception as e:
                    return {"status": "runtime_error", "reason": repr(e)}
                return {"metrics": {"combined_score": value, "split_length": float(len(split))},
                        "feedback": "solve(3) = %s" % value, "artifacts": {"split": split}}

            def answer(result, request_id=None):
                if result is None:
                    return
                if request_id is not None:
                    result["id"] = request_id
                print(json.dumps(result), flush=True)

            if len(sys.argv) == 3:
                answer(run(sys.argv[1], sys.argv[2]))
            else:
                for line in sys.stdin:
                    request = json.loads(line)
                    answer(run(request["candidate"], request["split"]), request["id"])
            """;

    static final String HONEST = """
            # EVOLVE-BLOCK-START
            def solve(x):
                return x * 2.5
            # EVOLVE-BLOCK-END
            """;

    private ExternalTasks() {
    }

    /** A galapagos-task.conf folder with {@link #EVALUATOR}; {@code extra} is appended to the conf. */
    static Path confTask(Path dir, String mode, String extra) {
        try {
            Files.writeString(dir.resolve("program.py"), HONEST);
            Files.writeString(dir.resolve("evaluate.py"), EVALUATOR);
            Files.writeString(dir.resolve("galapagos-task.conf"), """
                    id = doubling
                    title = "Doubling"
                    problem = "Return a large multiple of x."
                    language = python
                    initial-program = program.py
                    evaluator.command = ["{interpreter}", "evaluate.py"]
                    evaluator.mode = %s
                    splits = [SMOKE, TRAIN]
                    timeout = 20s
                    """.formatted(mode) + extra);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jail of the worker's defaults; a machine without bubblewrap fails here, it does not skip. */
    static Jail jail() {
        return Jail.probe(JailSettings.defaults());
    }

    static ExternalSettings settings(int slots) {
        return ExternalSettings.fromConfig(ConfigFactory.load()).withSlots(slots);
    }

    static SandboxOutcome evaluate(ExternalEvaluator evaluator, String source, Split... cascade) {
        try {
            return evaluator.evaluate(source, List.of(cascade)).toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within 120 s", e);
        }
    }
}
