package io.galapagos.worker.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing task directories: both layouts, the defaults, and one-line errors naming the file and the key. */
@Timeout(60)
class ExternalTaskDirectoryTest {

    static final String PROGRAM = """
            # EVOLVE-BLOCK-START
            def solve(x):
                return x
            # EVOLVE-BLOCK-END
            """;

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void confLayoutFillsTheDefaults() throws IOException {
        write("program.py", PROGRAM);
        write("evaluate.py", "print('{}')");
        write("galapagos-task.conf", """
                id = sum-task
                problem = "Make it **fast**."
                language = python
                initial-program = program.py
                evaluator.command = ["{interpreter}", "evaluate.py"]
                baselines { greedy = program.py }
                """);
        TaskDirectory task = TaskDirectory.load(dir);
        assertThat(task.id()).isEqualTo("sum-task");
        assertThat(task.title()).isEqualTo("sum-task");
        assertThat(task.problemStatement()).isEqualTo("Make it **fast**.");
        assertThat(task.programFileName()).isEqualTo("program.py");
        assertThat(task.mode()).isEqualTo(TaskDirectory.Mode.ONCE);
        assertThat(task.interpreter()).isEqualTo("python3");
        assertThat(task.splits()).containsExactly("TRAIN");
        assertThat(task.scoreMetric()).isEqualTo("combined_score");
        assertThat(task.higherIsBetter()).isTrue();
        assertThat(task.featureMetric()).isEmpty();
        assertThat(task.baselines()).containsOnlyKeys("initial", "greedy");
        assertThat(task.baselines().keySet().iterator().next()).isEqualTo("initial");
        assertThat(task.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(task.ship()).containsExactly("**");
        assertThat(task.environment()).isEmpty();
        assertThat(task.openEvolve()).isEmpty();
    }

    @Test
    void confErrorsAreOneLineNamingFileAndKey() throws IOException {
        write("program.py", PROGRAM);
        String valid = """
                id = t
                problem = p
                language = python
                initial-program = program.py
                """;
        write("galapagos-task.conf", valid + "evaluator.command = []\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).isInstanceOf(TaskDirectoryException.class)
                .hasMessage("galapagos-task.conf: evaluator.command: must be a non-empty list of strings");
        write("galapagos-task.conf", valid + "evaluator.command = [x]\nevaluater.mode = warm\nscore.metrc = a\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessageStartingWith(
                "galapagos-task.conf: unknown keys evaluater.mode, score.metrc (known:");
        write("galapagos-task.conf", valid.replace("id = t", "id = Bad_Id") + "evaluator.command = [x]\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessage(
                "galapagos-task.conf: id: must match [a-z0-9-]+, got 'Bad_Id'");
        write("galapagos-task.conf", valid + "evaluator.command = [x]\nevaluator.mode = lukewarm\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessage(
                "galapagos-task.conf: evaluator.mode: must be once or warm, got 'lukewarm'");
        write("galapagos-task.conf", valid + "evaluator.command = [x]\nsplits = [TRAIN, VALIDATION]\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessageStartingWith("galapagos-task.conf: splits: unknown split");
        write("program.py", "def solve(x):\n    return x\n");
        write("galapagos-task.conf", valid + "evaluator.command = [x]\n");
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessageStartingWith(
                "galapagos-task.conf: initial-program: 'program.py' must contain an EVOLVE-BLOCK-START line");
        assertThat(dir.resolve("galapagos-task.conf")).exists();
    }

    @Test
    void shippedFilesLeaveOutDotFilesAndLinksOutOfTheFolder(@TempDir Path outside) throws IOException {
        write("program.py", PROGRAM);
        write("data/input.txt", "1 2 3");
        write(".env", "API_KEY=secret");
        write(".git/config", "x");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(dir.resolve("alias.py"), dir.resolve("program.py"));
        write("galapagos-task.conf", """
                id = t
                problem = p
                language = python
                initial-program = program.py
                evaluator.command = ["{interpreter}", "program.py"]
                """);
        assertThat(TaskDirectory.load(dir).shippedFiles()).containsExactly(Path.of("alias.py"),
                Path.of("data/input.txt"), Path.of("galapagos-task.conf"), Path.of("program.py"));
        write("galapagos-task.conf", Files.readString(dir.resolve("galapagos-task.conf"))
                + "ship = [\"*.py\", \".env\"]\n");
        assertThat(TaskDirectory.load(dir).shippedFiles()).containsExactly(Path.of(".env"), Path.of("alias.py"),
                Path.of("program.py"));
    }

    @Test
    void openEvolveLayoutMapsItsConfigAndListsWhatItIgnores() throws IOException {
        Path folder = dir.resolve("Circle Packing");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("initial_program.py"), PROGRAM);
        Files.writeString(folder.resolve("evaluator.py"), "def evaluate(program_path):\n    return {}\n");
        Files.writeString(folder.resolve("config.yaml"), """
                max_iterations: 100
                random_seed: 42
                diff_based_evolution: true
                checkpoint_interval: 10
                llm:
                  api_base: "http://localhost:8000/v1"
                  api_key: "sk-do-not-use"
                  temperature: 0.7
                  max_tokens: 4096
                  models:
                    - name: "model-a"
                      weight: 0.8
                    - name: "model-b"
                      weight: 0.2
                      timeout: 30
                prompt:
                  system_message: "Pack circles."
                database:
                  num_islands: 3
                  migration_rate: 0.1
                evaluator:
                  timeout: 90
                  cascade_evaluation: true
                  cascade_thresholds: [0.3, 0.6]
                  parallel_evaluations: 4
                """);
        TaskDirectory task = TaskDirectory.load(folder);
        assertThat(task.id()).isEqualTo("circle-packing");
        assertThat(task.title()).isEqualTo("Circle Packing");
        assertThat(task.language()).isEqualTo("python");
        assertThat(task.problemStatement()).isEqualTo("Pack circles.");
        assertThat(task.splits()).containsExactly("TRAIN");
        assertThat(task.mode()).isEqualTo(TaskDirectory.Mode.WARM);
        assertThat(task.timeout()).isEqualTo(Duration.ofSeconds(90));
        OpenEvolveConfig config = task.openEvolve().orElseThrow();
        assertThat(config.maxIterations()).contains(100);
        assertThat(config.randomSeed()).contains(42L);
        assertThat(config.numIslands()).contains(3);
        assertThat(config.models()).containsExactly(new OpenEvolveConfig.Model("model-a", 0.8),
                new OpenEvolveConfig.Model("model-b", 0.2));
        assertThat(config.apiBase()).contains("http://localhost:8000/v1");
        assertThat(config.temperature()).contains(0.7);
        assertThat(config.maxTokens()).contains(4096);
        assertThat(config.diffBasedEvolution()).contains(true);
        assertThat(config.cascadeEvaluation()).isTrue();
        assertThat(config.cascadeThresholds()).containsExactly(0.3, 0.6);
        assertThat(config.unsupportedKeys()).containsExactlyInAnyOrder("checkpoint_interval", "llm.api_key",
                "llm.models[1].timeout", "database.migration_rate", "evaluator.parallel_evaluations");
        assertThat(task.evaluatorCommand()).containsExactly("{interpreter}", "-m", "galapagos_openevolve", "evaluator.py",
                "--cascade=0.3,0.6");
    }

    @Test
    void openEvolveLayoutWithoutConfigNamesTheFileAndLanguage() throws IOException {
        write("initial_program.rs", "fn main() {}\n");
        write("evaluator.py", "def evaluate(path):\n    return {}\n");
        TaskDirectory task = TaskDirectory.load(dir);
        assertThat(task.language()).isEqualTo("rust");
        assertThat(task.problemStatement()).contains("initial_program.rs").contains("rust");
        assertThat(task.openEvolve().orElseThrow().unsupportedKeys()).isEmpty();
        Files.delete(dir.resolve("evaluator.py"));
        assertThatThrownBy(() -> TaskDirectory.load(dir)).hasMessageStartingWith("evaluator.py: missing");
        assertThat(List.of(dir.toFile().list())).contains("initial_program.rs");
    }
}
