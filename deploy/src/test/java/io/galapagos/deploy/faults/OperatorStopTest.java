package io.galapagos.deploy.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.CliRun;
import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.Galapagos;
import io.galapagos.deploy.engine.EmbeddedNode;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code galapagos stop --out} on a real embedded {@code galapagos run}: the run's islands finish what is
 * in flight, the run completes with the operator's reason and its process ends normally with every
 * proposed candidate evaluated once; a folder no process runs is one line.
 */
// integration lane: a run in a child process
@Tag("integration")
@Timeout(400)
class OperatorStopTest {


    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void stopEndsAnEmbeddedRunGracefullyAndItsProcessExitsNormally(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("stop.conf");
        // each split pauses 100 ms, so that candidates are in flight at the stop
        Files.writeString(config, "galapagos.run.data-seed = 100\ngalapagos.worker.slots = 2\n"
                + "galapagos.console.progress-every = 200ms\n");
        NodeProcesses.Child run = processes.start("run", List.of("run", "--task", PausingTask.ID, "--iterations",
                "100000", "--islands", "2", "--out", out.toString(), "--config", config.toString(), "--no-http"), Map.of());
        run.awaitEvaluated(3, Duration.ofMinutes(3));

        Outcome stop = CliRun.galapagos("stop", "--out", out.toString(), "--reason", "enough for today");

        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("is stopping (enough for today)");
        assertThat(out.resolve(RunSession.STOP_REQUEST)).doesNotExist();
        assertThat(run.awaitExit(Duration.ofMinutes(2))).as(run.stderr()).isZero();
        Outcome status = CliRun.galapagos("status", "--out", out.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.get("state").asText()).startsWith("completed").contains("enough for today");
        RunHistory history = StoredRun.read(EmbeddedNode.config(out, Optional.empty(), ConfigFactory.empty()),
                RunSession.RUN_ID);
        assertThat(history.completion()).contains("enough for today");
        assertThat(history.inFlight()).as("what was in flight finished").isZero();
        assertThat(history.evaluationsPerCandidate().values()).containsOnly(1);
        assertThat(history.evaluated().size()).isLessThan(100000);

        Outcome idle = CliRun.galapagos("stop", "--out", out.toString());
        assertThat(idle.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(idle.err().strip()).isEqualTo("galapagos stop: no process runs " + out
                + ": nothing to stop (continue it with galapagos resume --out " + out + ")");
    }

    @Test
    void aReasonThatIsNotOneShortLineIsRefused(@TempDir Path dir) {
        Outcome empty = CliRun.galapagos("stop", "--out", dir.toString(), "--reason", " ");
        Outcome twoLines = CliRun.galapagos("stop", "--out", dir.toString(), "--reason", "a\nb");
        Outcome noRunId = CliRun.galapagos("stop", "--cluster", "127.0.0.1:1", "--db-url", "jdbc:h2:mem:x");

        assertThat(empty.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(empty.err().strip()).isEqualTo("galapagos stop: --reason must be one line of 1 to 200 characters");
        assertThat(twoLines.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(noRunId.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(noRunId.err().strip()).isEqualTo("galapagos stop: --cluster needs --run-id: which run to stop");
    }
}
