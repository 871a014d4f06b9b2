package io.galapagos.deploy.faults;

import io.galapagos.controller.report.RunHistory;
import io.galapagos.deploy.TaskFolderCommandTest;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task folders in real processes: a folder that only the client has reaches a worker process through the
 * run's database, and an embedded run of a folder killed with SIGKILL resumes without evaluating twice.
 */
// integration lane: node processes killed and restarted
@Tag("integration")
@Timeout(300)
class TaskFolderFaultsTest {

    private static final Pattern PROGRESS = Pattern.compile("running (\\d+)/");

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    @Test
    void folderOfTheClientReachesAWorkerProcessThatNeverSawItThroughTheRunsDatabase() throws Exception {
        Path folder = TaskFolderCommandTest.fitFolder(Files.createDirectories(processes.directory().resolve("client-only")));
        Path workerCache = processes.directory().resolve("worker-bundles");
        FaultCluster cluster = new FaultCluster(processes, postgres.newDatabase(), "");
        NodeProcesses.Child controller = cluster.start("controller", "controller", 1,
                "galapagos.worker.bundle-cache = \"" + processes.directory().resolve("controller-bundles") + "\"");
        NodeProcesses.Child worker = cluster.start("worker", "worker", 2,
                "galapagos.worker.bundle-cache = \"" + workerCache + "\"\ngalapagos.sandbox.external.slots = 2");
        FaultCluster.awaitUp(controller, worker);
        long iterations = 24;

        NodeProcesses.Child client = cluster.runFolder("client", "folder-run", folder, iterations, 2,
                "galapagos.worker.bundle-cache = \"" + processes.directory().resolve("client-bundles") + "\"");

        assertThat(client.awaitExit(Duration.ofMinutes(3))).as("exit code of galapagos run").isZero();
        RunHistory history = StoredHistory.load(cluster.database(), "folder-run");
        StoredHistory.assertConsistent(history, iterations);
        assertThat(history.evaluated()).hasSize((int) iterations);
        String taskId = history.settings().orElseThrow().taskId();
        assertThat(taskId).matches("fit-line@[0-9a-f]{64}");
        String hash = taskId.substring("fit-line@".length());
        assertThat(workerCache.resolve(hash).resolve("evaluator.py")).exists();
        assertThat(Files.readString(workerCache.resolve(hash).resolve("evaluator.py")))
                .isEqualTo(Files.readString(folder.resolve("evaluator.py")));
        assertThat(history.evaluated()).allSatisfy(c -> assertThat(c.evaluation().orElseThrow().worker())
                .isEqualTo(cluster.address(worker).substring("pekko://galapagos@".length())));

        // an OpenEvolve example folder, as it is, on the same cluster
        NodeProcesses.Child openEvolve = cluster.runFolder("client-openevolve", "openevolve-run",
                TaskFolderCommandTest.example("openevolve-circle"), 16, 2,
                "galapagos.worker.bundle-cache = \"" + processes.directory().resolve("client-bundles") + "\"");
        assertThat(openEvolve.awaitExit(Duration.ofMinutes(3))).as(openEvolve.stderr()).isZero();
        assertThat(openEvolve.stderr()).contains("config.yaml: not supported, ignored: ");
        RunHistory circles = StoredHistory.load(cluster.database(), "openevolve-run");
        StoredHistory.assertConsistent(circles, 16);
        assertThat(circles.evaluated()).hasSize(16);
        assertThat(circles.best().orElseThrow().evaluation().orElseThrow().score()).isGreaterThanOrEqualTo(0.5524);
    }

    @Test
    void embeddedRunOfAFolderKilledMidRunResumesWithoutEvaluatingTwice(@TempDir Path dir) throws Exception {
        Path folder = TaskFolderCommandTest.fitFolder(dir);
        Path out = dir.resolve("out");
        Path config = dir.resolve("embedded.conf");
        Files.writeString(config, "galapagos.worker.slots = 2\ngalapagos.sandbox.external.slots = 2\n"
                + "galapagos.worker.bundle-cache = \"" + dir.resolve("bundles") + "\"\n"
                + "galapagos.console.progress-every = 200ms\n");
        long iterations = 300;
        NodeProcesses.Child run = processes.start("run", List.of("run", "--task-dir", folder.toString(),
                "--iterations", String.valueOf(iterations), "--islands", "2", "--out", out.toString(),
                "--config", config.toString()), Map.of());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> evaluated(run.stderr()) >= 20);

        run.kill();
        int before = evaluated(run.stderr());
        assertThat(before).as("evaluated before the kill").isLessThan((int) iterations);
        NodeProcesses.Child resume = processes.start("resume", List.of("resume", "--out", out.toString()), Map.of());

        assertThat(resume.awaitExit(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
        List<String> rows = Files.readAllLines(out.resolve("history.csv"));
        assertThat(rows).hasSize(1 + (int) iterations);
        List<String> candidates = rows.stream().skip(1).map(row -> row.split(",")[1]).toList();
        assertThat(candidates).doesNotHaveDuplicates();
        assertThat(resume.stdout()).contains("program (fit-line)").contains(iterations + " candidates evaluated");
    }

    private static int evaluated(String progress) {
        Matcher matcher = PROGRESS.matcher(progress);
        int last = 0;
        while (matcher.find()) {
            last = Integer.parseInt(matcher.group(1));
        }
        return last;
    }
}
