package io.galapagos.worker.external;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Split;
import io.galapagos.worker.sandbox.Jail;
import io.galapagos.worker.sandbox.JailSettings;
import io.galapagos.worker.sandbox.SandboxOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import static io.galapagos.worker.external.ExternalTasks.HONEST;
import static io.galapagos.worker.external.ExternalTasks.evaluate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile Python candidates against a warm evaluator in the real jail: each is contained, gets the right
 * status, and the same pool then scores an honest candidate correctly. A candidate reports an escape as
 * the score 666.
 */
// integration lane: evaluator processes in bwrap
@Tag("integration")
@Timeout(600)
class ExternalHostileTest {

    private static final double ESCAPED = 666;

    @TempDir
    static Path task;
    @TempDir
    static Path canary;

    private static Map<Path, String> before;
    private static ExternalEvaluator evaluator;

    @BeforeAll
    static void startThePool() throws IOException {
        Jail jail = ExternalTasks.jail();
        ExternalTasks.confTask(task, "warm", "timeout = 10s\n");
        JailSettings.Limits limits = JailSettings.defaults().limits();
        // a small process limit, so that the fork bomb stops at it (it holds because the jail leaves root)
        ExternalSettings settings = ExternalTasks.settings(1).withAddressSpace(256L * 1024 * 1024).withMaxOutput(1024 * 1024)
                .withJail(JailSettings.defaults().withLimits(new JailSettings.Limits(limits.addressSpaceBeyondHeapBytes(),
                        limits.cpuTime(), 64, limits.openFiles(), limits.fileSizeBytes(), limits.workDirectoryBytes())));
        evaluator = ExternalEvaluator.start(TaskDirectory.load(task), jail, settings);
        before = contents(task);
    }

    @AfterAll
    static void stopThePool() {
        evaluator.close();
    }

    private static void assertStillServing() {
        SandboxOutcome honest = evaluate(evaluator, HONEST, Split.TRAIN);
        assertThat(honest.status()).as(honest.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(honest.score()).isEqualTo(7.5);
        assertThat(contents(task)).as("the task folder is unchanged").isEqualTo(before);
    }

    private static String candidate(String body) {
        return "import os, sys, socket, subprocess, time\n" + body + "\ndef solve(x):\n    return RESULT\n";
    }

    @Test
    void secretOfTheWorkerIsNotInTheEnvironment() {
        assertThat(System.getenv("GALAPAGOS_SANDBOX_TEST_SECRET")).as("surefire sets it").isEqualTo("parent-only-secret");
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                found = any("parent-only-secret" in v for v in os.environ.values())
                for pid in os.listdir("/proc"):
                    try:
                        found |= b"parent-only-secret" in open("/proc/%s/environ" % pid, "rb").read()
                    except Exception:
                        pass
                RESULT = 666 if found else 1
                print("environment:", sorted(os.environ))
                """), Split.TRAIN);
        assertThat(outcome.score()).as(outcome.feedback()).isEqualTo(1.0);
        assertThat(outcome.feedback()).contains("PYTHONPATH").doesNotContain("GALAPAGOS_SANDBOX_TEST_SECRET");
        assertStillServing();
    }

    @Test
    void socketsReachNeitherTheHostNorTheInternet() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SandboxOutcome outcome = evaluate(evaluator, candidate("""
                    RESULT = 1
                    for host, port in (("127.0.0.1", %d), ("1.1.1.1", 53), ("8.8.8.8", 443)):
                        try:
                            socket.create_connection((host, port), timeout=2).close()
                            RESULT = 666
                        except OSError as e:
                            print("connect", host, "failed:", e)
                    """.formatted(server.getLocalPort())), Split.TRAIN);
            assertThat(outcome.score()).as(outcome.feedback()).isEqualTo(1.0);
            server.setSoTimeout(200);
            try {
                server.accept().close();
                throw new AssertionError("the candidate connected to the host's loopback");
            } catch (SocketTimeoutException expected) {
                // nobody came
            }
        }
        assertStillServing();
    }

    @Test
    void writesOutsideItsOwnCopyFail() {
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                RESULT = 1
                for path in ("%s/escaped", "/tmp/escaped-%s", "%s/evaluate.py", "/escaped"):
                    try:
                        with open(path, "w") as f:
                            f.write("pwned")
                        RESULT = 666
                    except OSError as e:
                        print("write", path, "failed:", e)
                with open("evaluate.py", "a") as f:
                    f.write("# the private copy is writable\\n")
                """.formatted(canary, UUID.randomUUID(), task)), Split.TRAIN);
        assertThat(outcome.score()).as(outcome.feedback()).isEqualTo(1.0);
        assertThat(canary).isEmptyDirectory();
        assertStillServing();
    }

    @Test
    void forkBombStopsAtTheProcessLimit() {
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
                """), Split.TRAIN);
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.TIMEOUT);
        assertStillServing();
    }

    @Test
    void endlessAllocationIsMemoryExceeded() {
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                hoard = []
                while True:
                    hoard.append(bytearray(16 * 1024 * 1024))
                """), Split.TRAIN);
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.MEMORY_EXCEEDED);
        assertThat(outcome.feedback()).contains("MemoryError");
        assertStillServing();
    }

    @Test
    void endlessLoopTimesOutAndItsProcessTreeIsGone() {
        String marker = "galapagos-orphan-" + UUID.randomUUID();
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "%s"])
                while True:
                    pass
                """.formatted(marker)), Split.TRAIN);
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.TIMEOUT);
        assertThat(outcome.feedback()).contains("every process it started were killed");
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").contains(marker)));
        assertStillServing();
    }

    @Test
    void floodedOutputIsCappedAndKilled() {
        SandboxOutcome outcome = evaluate(evaluator, candidate("""
                while True:
                    print("x" * 1000 + "\\x1b[2J")
                """), Split.TRAIN);
        assertThat(outcome.status()).as(outcome.feedback()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(outcome.feedback()).contains("printed more than").doesNotContain("\u001b");
        assertThat(outcome.feedback().length()).isLessThan(24 * 1024);
        assertStillServing();
    }

    private static Map<Path, String> contents(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            Map<Path, String> contents = new TreeMap<>();
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                contents.put(dir.relativize(path), Files.readString(path));
            }
            return contents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
