package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.bench.SoakBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/** The soak bench's flags and its closing line; the soak itself is SoakBenchIntegrationTest. */
class SoakBenchCommandTest {

    @TempDir
    Path dir;

    private static void assertUsage(Outcome outcome, String... parts) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).as(outcome.err()).singleElement().asString()
                .startsWith("galapagos bench soak: ").contains(parts);
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void badFlagsAreOneLineAndExitCodeTwoBeforeAnythingStarts() throws Exception {
        assertUsage(galapagos("bench", "soak", "--duration", "soon"), "--duration", "'soon'");
        assertUsage(galapagos("bench", "soak", "--duration", "off"), "--duration must be a positive duration");
        assertUsage(galapagos("bench", "soak", "--duration", "1m", "--sample-every", "45s"), "at least two of them");
        assertUsage(galapagos("bench", "soak", "--sample-every", "500ms"), "at least 1s");
        assertUsage(galapagos("bench", "soak", "--islands", "0"), "--islands and --slots must be positive");
        assertUsage(galapagos("bench", "soak", "--slots", "-1"), "--islands and --slots must be positive");
        assertUsage(galapagos("bench", "soak", "--task", "no-such-task"), "unknown task 'no-such-task'");
        assertUsage(galapagos("bench", "soak", "--engine-only", "--task", "cant-be-late"),
                "--engine-only runs the no-op task", "'cant-be-late'");
        assertUsage(galapagos("bench", "soak", "--config", dir.resolve("missing.conf").toString()), "missing.conf");
        assertUsage(galapagos("bench", "soak", "--heap", "lots"), "bad heap size 'lots'");
        Files.writeString(dir.resolve("taken"), "x");
        assertUsage(galapagos("bench", "soak", "--out", dir.toString()), "is not an empty directory");
    }

    @Test
    void verdictNamesTheGrowthOfHeapAndRssAndEveryRecovery() {
        List<SoakBenchmark.Sample> samples = new ArrayList<>();
        for (int m = 1; m <= 9; m++) {
            samples.add(new SoakBenchmark.Sample(m, 700L * m, 700, 50, 300 + 10 * m, 250, 3000L * m, m, 12, 45.5, 2 * m));
        }
        SoakBenchmark.Report report = new SoakBenchmark.Report(samples, List.of(
                new SoakBenchmark.Recovery(1.0, 700, 6.0, 12.5), new SoakBenchmark.Recovery(9.0, 6300, 6.5, 13.0)), 8);

        String verdict = SoakBenchCommand.verdict(report);

        assertThat(verdict).startsWith("verdict: heap after GC 50.0 MB (first third) -> 50.0 MB (last third), +0.0 MB/h: flat")
                .contains("RSS 320.0 MB (first third) -> 380.0 MB (last third), +600.0 MB/h: GROWING")
                .contains("recovery (kill to evaluating again) 12.5 s at minute 1.0, 13.0 s at minute 9.0")
                .endsWith("6300 evaluations in 9.0 minutes");
        assertThat(SoakBenchCommand.row(samples.get(0)))
                .isEqualTo("    1.0         700      700     50.0   310.0    250.0         3000      1.0     12      45.5      2.0");
    }
}
