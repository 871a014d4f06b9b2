package io.galapagos.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos bench engine}: a warm-up run, then the measured run, each on a journal it removes after. */
// integration lane: three runs on the embedded node with H2 journals
@Tag("integration")
class EngineThroughputCommandTest {

    private static Set<Path> benchFolders() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            Set<Path> folders = new HashSet<>();
            entries.filter(p -> p.getFileName().toString().startsWith("galapagos-bench")).forEach(folders::add);
            return folders;
        }
    }

    private static long count(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertThat(m.find()).as("'%s' in:%n%s", regex, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theWarmUpRunsFirstThenTheMeasuredRunAndNeitherLeavesItsJournalBehind() throws IOException {
        Set<Path> before = benchFolders();

        CliRun.Outcome run = CliRun.galapagos("bench", "engine", "--islands", "2", "--in-flight", "4",
                "--warm-up-evaluations", "40", "--evaluations", "80", "--overhead-evaluations", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String out = run.out();
        assertThat(count(out, "warm-up: (\\d+) evaluations in")).isEqualTo(40);
        assertThat(count(out, "throughput: (\\d+) evaluations on 2 islands")).isEqualTo(80);
        assertThat(out.indexOf("warm-up:")).isLessThan(out.indexOf("throughput:"));
        assertThat(count(out, "journal: the islands wrote (\\d+) times")).isPositive();
        assertThat(count(out, "overhead: (\\d+) evaluations one at a time")).isEqualTo(1);
        Set<Path> left = benchFolders();
        left.removeAll(before);
        assertThat(left).as("temporary run folders left behind").isEmpty();
    }
}
