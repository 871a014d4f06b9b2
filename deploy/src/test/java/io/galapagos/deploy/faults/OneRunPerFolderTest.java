package io.galapagos.deploy.faults;

import io.galapagos.deploy.CliRun;
import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.Galapagos;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A run folder belongs to one live process; the lock of a killed one is taken over. */
// integration lane: node processes killed and restarted
@Tag("integration")
@Timeout(300)
class OneRunPerFolderTest {

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void liveRunRefusesASecondRunNamingItselfButNotStatusAndAKilledRunsFolderResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("slow.conf");
        // each split pauses 300 ms: the run lives long enough to be disturbed
        Files.writeString(config, "galapagos.run.data-seed = 300\ngalapagos.worker.slots = 1\n"
                + "galapagos.console.progress-every = 200ms\n");
        long iterations = 30;
        NodeProcesses.Child first = processes.start("first", List.of("run", "--task", PausingTask.ID,
                "--iterations", String.valueOf(iterations), "--islands", "1", "--out", out.toString(),
                "--config", config.toString()), Map.of());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> first.stderr().contains("running 1/"));
        String holder = out + " is in use by a live galapagos (pid " + first.process().pid() + " on ";

        Outcome resume = CliRun.galapagos("resume", "--out", out.toString());
        Outcome run = CliRun.galapagos("run", "--task", "noop", "--out", out.toString());

        assertThat(resume.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(resume.err().strip().lines()).singleElement().asString()
                .startsWith("galapagos resume: " + holder).endsWith("wait for it to end or stop it first");
        assertThat(run.exitCode()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(run.err().strip().lines()).singleElement().asString().startsWith("galapagos run: " + holder);
        assertThat(first.process().isAlive()).as("the live run goes on").isTrue();
        // status reads a live run's journal through the run's own H2 server
        Outcome live = CliRun.galapagos("status", "--out", out.toString());
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(live.out()).contains("not completed");

        first.kill();
        assertThat(out.resolve("journal").resolve("galapagos.lock.db")).as("H2's lock file of the killed run").exists();
        // status takes over the killed run's H2 lock as a run would
        Outcome killed = CliRun.galapagos("status", "--out", out.toString());
        assertThat(killed.exitCode()).as(killed.err()).isZero();
        assertThat(killed.out()).contains("not completed");
        Outcome after = CliRun.galapagos("resume", "--out", out.toString());

        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("history.csv"))).hasSize(1 + (int) iterations);
        // with no run in the folder status opens the journal read-only: it leaves the file as it was
        Path journal = out.resolve("journal").resolve("galapagos.mv.db");
        byte[] before = Files.readAllBytes(journal);
        Outcome done = CliRun.galapagos("status", "--out", out.toString());
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("completed: ");
        assertThat(Files.readAllBytes(journal)).as("the journal after status").isEqualTo(before);
        assertThat(out.resolve("journal").resolve("galapagos.lock.db")).doesNotExist();
    }
}
