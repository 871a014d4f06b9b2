package io.galapagos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.galapagos.worker.sandbox.testtask.TickerTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands run in this JVM through {@link Galapagos#commandLine(String[])}, against the sandbox's test tasks. */
// integration lane: evaluations in sandbox child JVMs and the command in a child JVM
@Tag("integration")
class CommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {
    }

    private static Run galapagos(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Galapagos.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void evaluateBaselineAsJsonPrintsOneObjectWithRuns() throws IOException {
        Run run = galapagos("evaluate", "--task", "ticker", "--baseline", "initial", "--split", "train", "--details", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip().lines()).hasSize(1);
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("status").asText()).isEqualTo("OK");
        assertThat(result.get("score").asDouble()).isNegative();
        assertThat(result.get("metrics").get("runs").asDouble()).isEqualTo(3.0);
        assertThat(result.get("isolation").asText()).startsWith("bwrap");
        assertThat(result.get("runs")).hasSize(3);
        assertThat(result.get("split").asText()).isEqualTo("train");
    }

    @Test
    void evaluateWithoutAJailExitsTwoWithOneLineThatNamesTheFix() {
        System.setProperty("galapagos.sandbox.bwrap", "/nonexistent/bwrap");
        ConfigFactory.invalidateCaches();
        Run run;
        try {
            run = galapagos("evaluate", "--task", "ticker", "--baseline", "initial", "--json");
        } finally {
            System.clearProperty("galapagos.sandbox.bwrap");
            ConfigFactory.invalidateCaches();
        }

        assertThat(run.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).startsWith("galapagos evaluate: cannot jail candidate processes: no bubblewrap executable at "
                + "/nonexistent/bwrap").contains("apt-get install bubblewrap").contains("isolation = none");
    }

    @Test
    void failingCandidateFileExitsThreeWithAReadableTable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Nothing.java");
        Files.writeString(file, TickerTask.INITIAL.replace("Steady", "Nothing").replace("return 5;", "return null;"));

        Run run = galapagos("evaluate", "--task", "ticker", "--split", "smoke", file.toString());

        assertThat(run.exitCode()).isEqualTo(EvaluateCommand.EXIT_CANDIDATE_FAILED);
        assertThat(run.out()).contains("status                 RUNTIME_ERROR").contains("score                  -")
                .contains("step returned null").contains("isolation");
    }

    @Test
    void rejectedCandidateHasANullScoreInJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Quit.java");
        Files.writeString(file, TickerTask.INITIAL.replace("return 5;", "System.exit(1); return 5;"));

        Run run = galapagos("evaluate", "--task", "ticker", "--json", file.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.get("status").asText()).isEqualTo("REJECTED");
        assertThat(result.get("score").isNull()).isTrue();
        assertThat(result.get("feedback").asText()).contains("rule exit");
    }

    @Test
    void badUsageExitsTwoWithOneLine(@TempDir Path dir) {
        List<String[]> bad = List.of(
                new String[]{"evaluate", "--task", "nope", "--baseline", "initial"},
                new String[]{"evaluate", "--task", "ticker", dir.resolve("Missing.java").toString()},
                new String[]{"evaluate", "--task", "ticker", "--split", "validation", "--baseline", "initial"},
                new String[]{"evaluate", "--task", "ticker", "--baseline", "nobody"},
                new String[]{"evaluate", "--task", "ticker"},
                new String[]{"evaluate", "--baseline", "initial"},
                new String[]{"evaluate", "--task", "ticker", "--data-dir", dir.resolve("absent").toString(), "--baseline", "initial"},
                new String[]{"tasks", "--show", "ticker", "nobody"});
        for (String[] args : bad) {
            Run run = galapagos(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(Galapagos.EXIT_USAGE);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.out()).isEmpty();
        }
        assertThat(galapagos("evaluate", "--task", "nope", "--baseline", "initial").err())
                .contains("unknown task 'nope' (known: ").contains("sandbox-probe").contains("ticker");
        assertThat(galapagos("evaluate", "--task", "ticker", "--split", "validation", "--baseline", "initial").err())
                .contains("unknown split 'validation'");
    }

    @Test
    void tasksListsEachTaskWithItsBaselines() throws IOException {
        Run plain = galapagos("tasks");
        Run json = galapagos("tasks", "--json");

        assertThat(plain.exitCode()).isZero();
        assertThat(plain.out()).contains("ticker").contains("baselines: initial, zero");
        JsonNode list = JSON.readTree(json.out());
        assertThat(list.findValuesAsText("id")).contains("ticker", "sandbox-probe");
        JsonNode ticker = java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .filter(t -> t.get("id").asText().equals("ticker")).findFirst().orElseThrow();
        assertThat(ticker.get("baselines").get(1).get("name").asText()).isEqualTo("zero");
        assertThat(ticker.get("candidateInterface").asText()).endsWith("Ticker");
        assertThat(ticker.get("timingBased").asBoolean()).isFalse();
        assertThat(ticker.get("stochastic").asBoolean()).isFalse();
        JsonNode llmSql = java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .filter(t -> t.get("id").asText().equals("llm-sql")).findFirst().orElseThrow();
        assertThat(llmSql.get("timingBased").asBoolean()).isTrue();
        assertThat(llmSql.get("timingTerm").asText()).contains("CPU time", "median");
        assertThat(llmSql.get("stochastic").asBoolean()).as("its score includes a measured time").isTrue();
        assertThat(plain.out()).contains("timing-based score: runtimeSeconds");
        assertThat(plain.out()).contains("stochastic: island bests are re-evaluated");
    }

    @Test
    void tasksShowPrintsTheShippedSource() {
        Run run = galapagos("tasks", "--show", "ticker", "initial");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(TickerTask.INITIAL);
    }

    @Test
    void benchSandboxReportsOverheadAndColdStart() {
        Run run = galapagos("bench", "sandbox", "--task", "ticker", "--evaluations", "3", "--cold-starts", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("in-process, compiled once").contains("sandbox pool, new source")
                .contains("warm overhead, same source").contains("cold start of a child");
    }

    @Test
    void mainInItsOwnProcessPrintsJsonAndExitsWithTheOutcome() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Galapagos.class.getName(),
                "evaluate", "--task", "ticker", "--baseline", "zero", "--split", "smoke", "--json");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        JsonNode result = JSON.readTree(out);
        assertThat(result.get("status").asText()).isEqualTo("OK");
        assertThat(result.get("split").asText()).isEqualTo("smoke");
    }
}
