package io.galapagos.worker.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real processes in the real jail: what a jailed program can see, reach and write, and how it dies. */
// integration lane: JVMs in bwrap
@Tag("integration")
class JailTest {

    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);

    private static Jail jail;
    private static Path classes;

    @TempDir
    Path host;

    @BeforeAll
    static void makeTheJail() throws URISyntaxException {
        // no assumption: a machine without bubblewrap fails here, it does not skip
        jail = Jail.probe(JailSettings.defaults());
        classes = Path.of(JailProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static ProcessBuilder probe(String... args) {
        List<Path> readOnly = new ArrayList<>(Jail.javaRuntime());
        readOnly.add(classes);
        List<String> command = new ArrayList<>(List.of(Jail.javaExecutable(), "-Xmx64m", "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(Jail.jvmOptions());
        command.addAll(List.of("-cp", classes.toString(), JailProbe.class.getName()));
        command.addAll(List.of(args));
        return jail.processBuilder(command, JailSpec.of(readOnly, Path.of("/tmp"),
                JailSettings.defaults().limits().forHeap(64))).redirectErrorStream(true);
    }

    private Map<String, String> report() throws Exception {
        Path secret = Files.writeString(host.resolve("secret.txt"), "parent-only");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process process = probe("report", Integer.toString(server.getLocalPort()), secret.toString(), classes.toString())
                    .start();
            String output = CompletableFuture.supplyAsync(() -> readAll(process))
                    .get(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            Map<String, String> seen = new LinkedHashMap<>();
            output.lines().filter(line -> line.contains("=")).forEach(line ->
                    seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
            seen.put("secret", secret.toString());
            return seen;
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "reading failed: " + e;
        }
    }

    @Test
    void jailedProcessRunsAsNobodyAndSeesOnlyItsOwnProcesses() throws Exception {
        Map<String, String> seen = report();

        assertThat(seen.get("uid")).isEqualTo("65534");
        assertThat(seen.get("hostname")).isEqualTo("sandbox");
        // pid 1 is bubblewrap's init, then the JVM: nothing of the host
        assertThat(seen.get("processes").split(",")).hasSizeLessThanOrEqualTo(2).contains(seen.get("pid"));
        assertThat(Long.parseLong(seen.get("pid"))).isLessThanOrEqualTo(2);
    }

    @Test
    void jailedProcessReadsNothingItWasNotGiven() throws Exception {
        Map<String, String> seen = report();

        assertThat(Files.readString(Path.of(seen.get("secret")))).isEqualTo("parent-only");
        assertThat(seen.get("read " + seen.get("secret"))).isEqualTo("failed");
        assertThat(seen.get("read /root")).isEqualTo("failed");
        assertThat(seen.get("read /etc/passwd")).isEqualTo("failed");
        assertThat(seen.get("read /home")).isEqualTo("failed");
        // only the bound class directory's own path exists under /work, nothing else of the project
        assertThat(classes.startsWith("/work") ? seen.get("read /work") : "listed 1").isEqualTo("listed 1");
    }

    @Test
    void jailedProcessWritesOnlyToItsPrivateDirectory() throws Exception {
        Map<String, String> seen = report();

        assertThat(seen.get("write /tmp/written")).isEqualTo("written");
        assertThat(seen.get("write /escaped")).isEqualTo("failed");
        assertThat(seen.get("write /dev/shm/escaped")).isEqualTo("failed");
        assertThat(seen.get("write /etc/escaped")).isEqualTo("failed");
        assertThat(seen.get("write " + classes + "/escaped")).isEqualTo("failed");
        assertThat(classes.resolve("escaped")).doesNotExist();
    }

    @Test
    void jailedProcessHasNoNetwork() throws Exception {
        Map<String, String> seen = report();

        assertThat(seen.get("network")).isEqualTo("failed");
        assertThat(seen.get("interfaces")).isIn("lo", "");
    }

    @Test
    void jailedProcessGetsNoneOfTheParentsEnvironment() throws Exception {
        assertThat(System.getenv("GALAPAGOS_SANDBOX_TEST_SECRET")).as("set for this JVM by the build").isNotNull();

        Map<String, String> seen = report();

        assertThat(seen.get("environment")).isEqualTo("HOME,LANG,MALLOC_ARENA_MAX,PATH,PWD,TMPDIR");
    }

    @Test
    void killingTheJailLeavesNoProcess() throws Exception {
        Process process = probe("wait").start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return "reading failed: " + e;
            }
        }).get(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isEqualTo("ready");
        List<ProcessHandle> tree = process.descendants().toList();
        assertThat(tree).as("bubblewrap's init and the JVM").isNotEmpty();
        assertThat(tree).anyMatch(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false));

        process.destroyForcibly();

        await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive() && tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void probeFailureIsOneLineThatNamesTheFix() {
        JailSettings missing = JailSettings.defaults().withBwrap(Path.of("/nonexistent/bwrap"));

        assertThatThrownBy(() -> Jail.probe(missing))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageContaining("/nonexistent/bwrap")
                .hasMessageContaining("apt-get install bubblewrap")
                .hasMessageContaining("galapagos.sandbox.isolation = none")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
        assertThatThrownBy(() -> SandboxPool.start(SandboxSettings.defaults().withSlots(1).withJail(missing)))
                .isInstanceOf(SandboxUnavailableException.class);
    }

    @Test
    void aJailThatCannotStartJavaIsRefusedWithItsReason() {
        // an address space far too small for any JVM: the jailed 'java -version' fails
        JailSettings.Limits tiny = new JailSettings.Limits(16L << 20, Duration.ofMinutes(1), 64, 64, 1 << 20, 1 << 20);

        assertThatThrownBy(() -> Jail.probe(JailSettings.defaults().withLimits(tiny)))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageContaining("java -version")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void isolationNoneIsUnconfinedAndSaysSo() {
        Jail none = Jail.probe(JailSettings.defaults().withIsolation(JailSettings.Isolation.NONE));

        assertThat(none.confined()).isFalse();
        assertThat(none.description()).startsWith("none");
        assertThat(jail.description()).startsWith("bwrap");
    }
}
