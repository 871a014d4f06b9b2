package io.galapagos.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.deploy.CliRun;
import io.galapagos.deploy.CliRun.Outcome;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.engine.EmbeddedNode;
import io.galapagos.deploy.engine.RunFolderLock;
import io.galapagos.deploy.engine.RunSession;
import io.galapagos.deploy.engine.StoredRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C and SIGTERM sent to a real {@code galapagos run}: it stops within a bound, prints one line and no
 * stack trace, leaves its outputs and a free folder, and {@code resume} completes the run with every
 * candidate evaluated once. A second Ctrl-C ends it at once.
 */
// integration lane: node processes killed and restarted
@Tag("integration")
@Timeout(400)
class CleanStopTest {

    private static final long ITERATIONS = 24;
    /** Generous for a process test on a busy machine; the measured time is printed. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void ctrlCStopsTheRunWithOneLineAndItsOutputsAndResumeCompletesIt(@TempDir Path dir) throws Exception {
        stopsCleanlyAndResumes(dir, "INT", 130);
    }

    @Test
    void sigtermStopsTheRunLikeCtrlC(@TempDir Path dir) throws Exception {
        stopsCleanlyAndResumes(dir, "TERM", 143);
    }

    @Test
    void aSecondCtrlCEndsTheProcessAtOnceAndResumeStillCompletesTheRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        NodeProcesses.Child run = startAndAwaitEvaluations(dir, out);

        run.signal("INT");
        run.signal("INT");
        int exit = run.awaitExit(EXIT_BOUND);

        assertThat(exit).as(run.stderr()).isEqualTo(130);
        assertThat(run.stderr()).contains("galapagos run: stopped").doesNotContain("\tat ").doesNotContain("Caused by");
        resumeCompletes(out);
    }

    private void stopsCleanlyAndResumes(Path dir, String signal, int exitCode) throws Exception {
        Path out = dir.resolve("out");
        NodeProcesses.Child run = startAndAwaitEvaluations(dir, out);

        long sent = System.nanoTime();
        run.signal(signal);
        int exit = run.awaitExit(EXIT_BOUND);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        System.out.println("SIG" + signal + " to exit: " + took.toMillis() + " ms");

        assertThat(exit).as(run.stderr()).isEqualTo(exitCode);
        String err = run.stderr();
        List<String> stopLines = err.lines().filter(l -> l.contains("stopped")).toList();
        assertThat(stopLines).singleElement().asString()
                .matches("galapagos run: stopped after \\d+/" + ITERATIONS + " evaluations; continue with: galapagos resume --out "
                        + Pattern.quote(out.toString()));
        assertThat(err + run.stdout()).doesNotContain("\tat ").doesNotContain("Caused by");
        assertThat(out.resolve("best")).isDirectory();
        long written = Files.readAllLines(out.resolve("history.csv")).size() - 1;
        assertThat(stopLines.get(0)).contains("after " + written + "/");
        RunFolderLock.checkFree(out);
        resumeCompletes(out);
    }

    private NodeProcesses.Child startAndAwaitEvaluations(Path dir, Path out) throws Exception {
        Path config = dir.resolve("stop.conf");
        // each split pauses 200 ms, so that candidates are in flight at the stop; a plain progress line each 200 ms
        Files.writeString(config, "galapagos.run.data-seed = 200\ngalapagos.worker.slots = 2\n"
                + "galapagos.console.progress-every = 200ms\n");
        NodeProcesses.Child run = processes.start("run", List.of("run", "--task", PausingTask.ID, "--iterations",
                String.valueOf(ITERATIONS), "--islands", "2", "--out", out.toString(), "--config", config.toString()), Map.of());
        run.awaitEvaluated(3, Duration.ofMinutes(3));
        return run;
    }

    private static void resumeCompletes(Path out) throws Exception {
        Outcome resume = CliRun.galapagos("resume", "--out", out.toString());
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        Outcome status = CliRun.galapagos("status", "--out", out.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.get("state").asText()).startsWith("completed");
        assertThat(json.get("evaluated").asLong()).isEqualTo(ITERATIONS);
        assertThat(json.get("inFlight").asLong()).isZero();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + (int) ITERATIONS);
        RunHistory history = StoredRun.read(EmbeddedNode.config(out, Optional.empty(), ConfigFactory.empty()),
                RunSession.RUN_ID);
        assertThat(history.evaluationsPerCandidate()).hasSize((int) ITERATIONS).allSatisfy((id, n) -> assertThat(n)
                .as("evaluations of " + id).isEqualTo(1));
    }
}
