package io.galapagos.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged class-data archive of a run: made by the build, mapped by the launcher, usable by the JVM. */
// integration lane: needs the packaged application (target/galapagos.jar and the archive the package phase makes)
@Tag("integration")
class RunClassDataArchiveTest {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path ARCHIVE = TARGET.resolve(RunClassDataArchive.FILE_NAME);

    private static String run(List<String> command, boolean printOnly) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (printOnly) {
            builder.environment().put("GALAPAGOS_PRINT_COMMAND", "1");
        }
        builder.environment().remove("GALAPAGOS_JAVA_OPTS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    @Timeout(120)
    void thePackageMakesTheArchiveAndAShortRunsJvmMapsIt() throws Exception {
        assertThat(ARCHIVE).as("made by the package phase").isRegularFile();
        assertThat(Files.getLastModifiedTime(ARCHIVE)).isGreaterThan(Files.getLastModifiedTime(TARGET.resolve("galapagos.jar")));

        // -Xshare:on refuses to start when the archive cannot be mapped (another JDK, another class path)
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + ARCHIVE));
        java.addAll(RunClassDataArchive.SHORT_RUN_OPTIONS);
        java.addAll(List.of("-jar", TARGET.resolve("galapagos.jar").toString(), "--version"));
        assertThat(run(java, false)).isNotBlank();

        String launcher = Path.of("..", "galapagos").toAbsolutePath().normalize().toString();
        assertThat(run(List.of("bash", launcher, "run", "--task", "noop"), true))
                .contains(String.join(" ", RunClassDataArchive.SHORT_RUN_OPTIONS))
                .contains("-XX:SharedArchiveFile=" + ARCHIVE.normalize());
        assertThat(run(List.of("bash", launcher, "resume", "--out", "x"), true))
                .contains("-XX:SharedArchiveFile=" + ARCHIVE.normalize()).doesNotContain("TieredStopAtLevel");
    }
}
