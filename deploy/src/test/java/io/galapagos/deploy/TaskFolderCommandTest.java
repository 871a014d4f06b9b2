package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code run}, {@code resume}, {@code evaluate} and {@code tasks} on task folders, on the embedded node. */
// integration lane: task folders' evaluators in bwrap and searches with them
@Tag("integration")
public class TaskFolderCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Python task: fit {@code f(x)} to {@code 2x}; SMOKE on three points, TRAIN on ten. */
    public static Path fitFolder(Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fit"));
        Files.writeString(folder.resolve("galapagos-task.conf"), """
                id = fit-line
                title = "Fit a line"
                language = python
                problem = "Make f(x) equal 2x on the integers 0..9."
                initial-program = initial.py
                evaluator { command = ["{interpreter}", "evaluator.py"], mode = warm }
                splits = [SMOKE, TRAIN]
                score.metric = error
                score.higher-is-better = false
                baselines { exact = exact.py }
                """);
        Files.writeString(folder.resolve("initial.py"), """
                # EVOLVE-BLOCK-START
                def f(x):
                    return 0.5 * x - 3
                # EVOLVE-BLOCK-END
                """);
        Files.writeString(folder.resolve("exact.py"), """
                # EVOLVE-BLOCK-START
                def f(x):
                    return 2 * x
                # EVOLVE-BLOCK-END
                """);
        Files.writeString(folder.resolve("evaluator.py"), """
                import importlib.util, json, sys

                def score(path, split):
                    spec = importlib.util.spec_from_file_location("candidate", path)
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    points = range(3) if split == "SMOKE" else range(10)
                    error = sum((module.f(x) - 2 * x) ** 2 for x in points)
                    return {"metrics": {"error": error}, "feedback": "squared error %s on %s" % (error, split)}

                for line in sys.stdin:
                    request = json.loads(line)
                    try:
                        result = score(request["candidate"], request["split"])
                    except Exception as e:
                        result = {"status": "runtime_error", "reason": repr(e)}
                    result["id"] = request["id"]
                    print(json.dumps(result), flush=True)
                """);
        return folder;
    }

    private static Path config(Path dir) throws IOException {
        Path config = dir.resolve("test.conf");
        Files.writeString(config, "galapagos.worker.slots = 2\ngalapagos.sandbox.external.slots = 2\n"
                + "galapagos.worker.bundle-cache = \"" + dir.resolve("bundles") + "\"\n");
        return config;
    }

    @Test
    void runOnATaskFolderImprovesOnItsProgramAndWritesTheBestInItsLanguage(@TempDir Path dir) throws Exception {
        Path folder = fitFolder(dir);
        Path out = dir.resolve("out");

        Outcome run = galapagos("run", "--task-dir", folder.toString(), "--iterations", "30", "--islands", "2",
                "--seed", "5", "--out", out.toString(), "--config", config(dir).toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("program (fit-line)").contains("baseline exact");
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + 30);
        JsonNode info = JSON.readTree(out.resolve("best/info.json").toFile());
        assertThat(info.get("task").asText()).matches("fit-line@[0-9a-f]{64}");
        // the initial program's squared error on TRAIN is 1136.25; scores are negated errors
        assertThat(info.get("score").asDouble()).isGreaterThan(-1136.25);
        String best = Files.readString(out.resolve("best/initial.py"));
        assertThat(best).contains("# EVOLVE-BLOCK-START").contains("def f(x):");
        // the folder was carried by the run: its bundle is unpacked under the worker's cache
        String hash = info.get("task").asText().substring("fit-line@".length());
        assertThat(dir.resolve("bundles").resolve(hash).resolve("evaluator.py")).exists();

        Outcome status = galapagos("status", "--out", out.toString(), "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(JSON.readTree(status.out()).get("evaluated").asLong()).isEqualTo(30);

        // resumed with a larger budget from the journal alone: the folder may be gone by then
        Files.walk(folder).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertThat(folder).doesNotExist();
        Outcome resume = galapagos("resume", "--out", out.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("program (fit-line)");
    }

    @Test
    void evaluateAndTasksReadATaskFolder(@TempDir Path dir) throws Exception {
        Path folder = fitFolder(dir);

        Outcome exact = galapagos("evaluate", "--task-dir", folder.toString(), "--baseline", "exact", "--json");
        assertThat(exact.exitCode()).as(exact.err()).isZero();
        JsonNode outcome = JSON.readTree(exact.out());
        assertThat(outcome.get("status").asText()).isEqualTo("OK");
        assertThat(outcome.get("score").asDouble()).isEqualTo(-0.0);
        assertThat(outcome.get("isolation").asText()).startsWith("bwrap");

        Path broken = dir.resolve("broken.py");
        Files.writeString(broken, "# EVOLVE-BLOCK-START\ndef f(x):\n    return x / 0\n# EVOLVE-BLOCK-END\n");
        Outcome failed = galapagos("evaluate", "--task-dir", folder.toString(), broken.toString());
        assertThat(failed.exitCode()).isEqualTo(EvaluateCommand.EXIT_CANDIDATE_FAILED);
        assertThat(failed.out()).contains("RUNTIME_ERROR").contains("ZeroDivisionError");

        Outcome noTest = galapagos("evaluate", "--task-dir", folder.toString(), "--baseline", "initial", "--split", "test");
        assertThat(noTest.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(noTest.err().strip()).isEqualTo("galapagos evaluate: task folder fit-line has no split TEST (its splits: SMOKE, TRAIN)");

        Outcome tasks = galapagos("tasks", "--task-dir", folder.toString());
        assertThat(tasks.exitCode()).as(tasks.err()).isZero();
        assertThat(tasks.out()).contains("fit-line").contains("python").contains("warm").contains("initial, exact")
                .contains("error (lower is better, negated)");
    }

    @Test
    void badTaskFolderIsOneLineNamingTheKeyAndExitCodeTwo(@TempDir Path dir) throws Exception {
        Path folder = fitFolder(dir);
        Files.writeString(folder.resolve("galapagos-task.conf"), Files.readString(folder.resolve("galapagos-task.conf"))
                .replace("evaluator { command = [\"{interpreter}\", \"evaluator.py\"], mode = warm }", "evaluator { mode = warm }"));

        Outcome run = galapagos("run", "--task-dir", folder.toString(), "--out", dir.resolve("out").toString());

        assertThat(run.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(run.err().strip().lines()).singleElement().asString()
                .startsWith("galapagos run: galapagos-task.conf: evaluator.command");
        assertThat(dir.resolve("out")).doesNotExist();

        Outcome both = galapagos("run", "--task", "noop", "--task-dir", folder.toString());
        assertThat(both.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
    }

    /** The repository's {@code examples/} folder (tests run in the module's directory). */
    public static Path example(String name) {
        Path folder = Path.of("").toAbsolutePath().getParent().resolve("examples").resolve(name);
        assertThat(folder).as("example folder").isDirectory();
        return folder;
    }

    @Test
    void openEvolveExampleScoresWhatItsEvaluatorGivesWhenRunByHand(@TempDir Path dir) throws Exception {
        Path folder = example("openevolve-circle");
        // by hand, as OpenEvolve's cascade does: stage 1, and stage 2 when stage 1 passes its threshold (0.5)
        Path shim = Path.of("").toAbsolutePath().getParent()
                .resolve("worker/src/main/resources/io/galapagos/worker/external/python");
        ProcessBuilder byHandCommand = new ProcessBuilder("python3", "-c", """
                import sys
                sys.path.insert(0, sys.argv[1])
                import evaluator
                program = sys.argv[1] + "/initial_program.py"
                first = evaluator.evaluate_stage1(program).metrics["combined_score"]
                print(repr(evaluator.evaluate_stage2(program).metrics["combined_score"] if first >= 0.5 else first))
                """, folder.toString()).redirectErrorStream(true);
        // the openevolve package a researcher has installed; Galapagos ships its own on the evaluator's path
        byHandCommand.environment().put("PYTHONPATH", shim.toString());
        Process python = byHandCommand.start();
        String byHand;
        try (var output = python.getInputStream()) {
            byHand = new String(output.readAllBytes()).strip();
        }
        assertThat(python.waitFor()).as(byHand).isZero();

        Outcome evaluated = galapagos("evaluate", "--task-dir", folder.toString(), "--baseline", "initial", "--json");

        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        assertThat(JSON.readTree(evaluated.out()).get("score").asDouble()).isEqualTo(Double.parseDouble(byHand));
    }

    @Test
    void openEvolveFolderRunsAsItIsWithItsConfigUnderTheFlags(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("oe-fit"));
        Files.writeString(folder.resolve("initial_program.py"), """
                # EVOLVE-BLOCK-START
                def f(x):
                    return 0.5 * x - 3
                # EVOLVE-BLOCK-END
                """);
        Files.writeString(folder.resolve("evaluator.py"), """
                import importlib.util
                from openevolve.evaluation_result import EvaluationResult

                def evaluate(program_path):
                    spec = importlib.util.spec_from_file_location("program", program_path)
                    module = importlib.util.module_from_spec(spec)
                    spec.loader.exec_module(module)
                    error = sum((module.f(x) - 2 * x) ** 2 for x in range(10))
                    return EvaluationResult(metrics={"combined_score": 1.0 / (1.0 + error), "error": error},
                                            artifacts={"hint": "squared error %s" % error})
                """);
        Files.writeString(folder.resolve("config.yaml"), """
                max_iterations: 12
                random_seed: 7
                database:
                  num_islands: 2
                  population_size: 50
                llm:
                  api_key: not-used
                evaluator:
                  cascade_evaluation: false
                """);
        Path out = dir.resolve("out");

        Outcome run = galapagos("run", "--task-dir", folder.toString(), "--out", out.toString(),
                "--config", config(dir).toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> warnings = run.err().lines().filter(l -> l.contains("config.yaml: not supported")).toList();
        assertThat(warnings).singleElement().asString().contains("database.population_size").contains("llm.api_key");
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + 12);
        JsonNode info = JSON.readTree(out.resolve("best/info.json").toFile());
        assertThat(info.get("seed").asLong()).isEqualTo(7);
        assertThat(info.get("metrics").get("error").asDouble()).isLessThanOrEqualTo(1136.25);
        assertThat(out.resolve("best/initial_program.py")).exists();
    }
}
