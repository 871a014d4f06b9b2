package io.galapagos.deploy;

import com.typesafe.config.ConfigFactory;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.external.ExternalEvaluator;
import io.galapagos.worker.external.ExternalSettings;
import io.galapagos.worker.external.TaskDirectory;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.JailSettings;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos new-task}: the folder it writes evaluates in the real jail; bad usage is one line, exit 2. */
// integration lane: new task folders' evaluators in bwrap and python3
@Tag("integration")
@Timeout(600)
class NewTaskCommandTest {

    private static Jail jail;

    @TempDir
    Path work;

    @BeforeAll
    static void makeTheJail() {
        jail = Jail.probe(JailSettings.defaults());
    }

    private static SandboxOutcome evaluate(TaskDirectory task, String source) {
        List<Split> cascade = task.splits().stream().map(Split::valueOf).toList();
        try (ExternalEvaluator evaluator = ExternalEvaluator.start(task, jail,
                ExternalSettings.fromConfig(ConfigFactory.load()).withSlots(1))) {
            return evaluator.evaluate(source, cascade).toCompletableFuture().get(300, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within 300 s", e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "c", "cpp", "java"})
    void writtenFolderEvaluatesItsInitialProgramInTheJail(String language) throws IOException {
        Path dir = work.resolve("My Task " + language);
        CliRun.Outcome run = CliRun.galapagos("new-task", dir.toString(), "--language", language);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + dir);
        TaskDirectory task = TaskDirectory.load(dir);
        assertThat(task.id()).isEqualTo("my-task-" + language);
        assertThat(task.language()).isEqualTo(language);
        assertThat(Files.readString(dir.resolve("README.md"))).contains("galapagos run --task-dir " + dir);
        SandboxOutcome outcome = evaluate(task, task.initialProgram());
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(outcome.split()).isEqualTo(Split.TRAIN);
        assertThat(outcome.score()).isBetween(0.3, 0.7);
    }

    @Test
    void compiledLanguageReportsTheCompilersMessage() {
        Path dir = work.resolve("broken");
        assertThat(CliRun.galapagos("new-task", dir.toString(), "--language", "cpp").exitCode()).isZero();
        TaskDirectory task = TaskDirectory.load(dir);
        SandboxOutcome outcome = evaluate(task, task.initialProgram().replace("(void) numbers;", "(void) numbers"));
        assertThat(outcome.status()).isEqualTo(EvaluationStatus.COMPILE_ERROR);
        assertThat(outcome.feedback()).contains("program.cpp:").contains("error");
    }

    /**
     * The Rust folder is written and loads; whether it evaluates jailed depends on where rustc lives (a toolchain
     * under a home directory of mode 0700 is out of the jail's reach), so it is run here outside the jail.
     */
    @Test
    void rustFolderIsWrittenAndItsEvaluatorScoresTheInitialProgram() throws Exception {
        Path dir = work.resolve("rusty");
        assertThat(CliRun.galapagos("new-task", dir.toString(), "--language", "rust").exitCode()).isZero();
        TaskDirectory task = TaskDirectory.load(dir);
        assertThat(task.toolchain()).hasSize(2).last().isEqualTo("gcc");
        Process process = new ProcessBuilder("python3", "evaluate.py", "program.rs", "TRAIN").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(200, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("\"combined_score\"").doesNotContain("\"status\"");
    }

    @Test
    void existingNonEmptyDirectoryAndUnknownLanguageAreOneLineExitTwo() throws IOException {
        Path taken = Files.createDirectories(work.resolve("taken"));
        Files.writeString(taken.resolve("notes.txt"), "mine");
        CliRun.Outcome exists = CliRun.galapagos("new-task", taken.toString(), "--language", "python");
        assertThat(exists.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(exists.err().strip().lines()).hasSize(1);
        assertThat(exists.err()).contains("already exists and is not an empty directory");
        assertThat(Files.readString(taken.resolve("notes.txt"))).isEqualTo("mine");
        CliRun.Outcome unknown = CliRun.galapagos("new-task", work.resolve("fresh").toString(), "--language", "cobol");
        assertThat(unknown.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(unknown.err().strip().lines()).hasSize(1);
        assertThat(unknown.err()).contains("unknown language 'cobol'").contains("python, java, c, cpp, rust");
        assertThat(work.resolve("fresh")).doesNotExist();
    }
}
