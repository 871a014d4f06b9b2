package io.galapagos.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code galapagos} launcher's choice of JVM options, from the command line it prints instead of running. */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "galapagos").toAbsolutePath().normalize();
    private static final String CLIENT = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private static String command(String... args) throws IOException, InterruptedException {
        assertThat(LAUNCHER).as("the launcher at the project's root").isRegularFile();
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GALAPAGOS_PRINT_COMMAND", "1");
        builder.environment().remove("GALAPAGOS_JAVA_OPTS");
        builder.environment().remove("GALAPAGOS_HEAP");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @Timeout(30)
    void shortRunsGetTheClientCompilerAndLongerOnesTheJvmDefaults() throws Exception {
        assertThat(command("run", "--task", "cant-be-late")).contains(CLIENT).endsWith("run --task cant-be-late");
        assertThat(command("run", "--iterations", "2000")).contains(CLIENT);
        assertThat(command("run", "--iterations=40", "--islands", "2")).contains(CLIENT);

        assertThat(command("run", "--iterations", "2001")).doesNotContain("TieredStopAtLevel");
        assertThat(command("run", "--iterations=100000")).doesNotContain("TieredStopAtLevel");
        assertThat(command("run", "--wall-clock", "10s")).doesNotContain("TieredStopAtLevel");
        assertThat(command("run", "--config", "long.conf")).doesNotContain("TieredStopAtLevel");
        assertThat(command("resume", "--out", "x")).doesNotContain("TieredStopAtLevel");
        assertThat(command("node", "--heap", "2g")).doesNotContain("TieredStopAtLevel").contains("-Xmx2g");
        // the value of another flag is not an iteration budget
        assertThat(command("run", "--islands", "99999")).contains(CLIENT);
    }

    @Test
    @Timeout(30)
    void commandsThatAnswerAndExitGetTheClientCompiler() throws Exception {
        assertThat(command("status", "--out", "x")).contains(CLIENT).endsWith("status --out x");
    }
}
