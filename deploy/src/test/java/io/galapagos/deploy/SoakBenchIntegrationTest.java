package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short soak of a real embedded run: its table has samples with rising evaluations and positive memory and
 * journal figures, and both kills of the controller were followed by evaluations again; the same for an
 * engine-only soak, whose run proposes and evaluates instantly.
 */
// integration lane: starts embedded runs as child JVMs with their sandboxes, kills and resumes them
@Tag("integration")
class SoakBenchIntegrationTest {

    private static final Pattern ROW = Pattern.compile(
            "^\\s*([0-9.]+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)\\s+([0-9.]+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)$");
    private static final Pattern RECOVERY = Pattern.compile("evaluating again after ([0-9.]+) s");
    /** The evaluations of a row without a sandbox column figure. */
    private static final Pattern ENGINE_ONLY_ROW = Pattern.compile(
            "^\\s*[0-9.]+\\s+(\\d+)\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+-\\s+\\d+\\s+[0-9.]+\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+$");
    private static final Pattern RECOVERED = Pattern.compile("recovery at minute [0-9.]+ \\((\\d+) evaluated\\)");

    /** minute, evaluations, heap MB, RSS MB, journal rows, file MB of a table row. */
    record Row(double minute, long evaluations, double heapMb, double rssMb, long journalRows, double fileMb) {
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shortSoakSamplesARisingRunAndTimesBothRecoveries(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("soak");
        Outcome soak = galapagos("bench", "soak", "--duration", "60s", "--sample-every", "10s", "--islands", "2",
                "--slots", "2", "--heap", "384m", "--out", out.toString());

        assertThat(soak.exitCode()).as(soak.out() + soak.err()).isZero();
        List<Row> rows = new ArrayList<>();
        List<Double> recoveries = new ArrayList<>();
        for (String line : soak.out().lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.add(new Row(Double.parseDouble(row.group(1)), Long.parseLong(row.group(2)),
                        Double.parseDouble(row.group(4)), Double.parseDouble(row.group(5)), Long.parseLong(row.group(7)),
                        Double.parseDouble(row.group(11))));
            }
            Matcher recovery = RECOVERY.matcher(line);
            if (recovery.find()) {
                recoveries.add(Double.parseDouble(recovery.group(1)));
            }
        }
        assertThat(rows).as(soak.out()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.heapMb()).isPositive();
            assertThat(r.rssMb()).isGreaterThan(r.heapMb());
            assertThat(r.journalRows()).isPositive();
            assertThat(r.fileMb()).isPositive();
        });
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).minute()).isGreaterThan(rows.get(i - 1).minute());
            assertThat(rows.get(i).evaluations()).isGreaterThanOrEqualTo(rows.get(i - 1).evaluations());
        }
        assertThat(rows.get(rows.size() - 1).evaluations()).isGreaterThan(rows.get(0).evaluations());
        // the soak lasts its duration; a sample (a full GC, the journal's sizes) may come late on a loaded machine
        assertThat(rows.get(rows.size() - 1).minute()).isBetween(0.9, 3.0);
        // one kill after the first sample, one at the end; each ends with an evaluation the resumed run journalled
        assertThat(recoveries).as(soak.out()).hasSize(2).allSatisfy(seconds -> assertThat(seconds).isPositive());
        assertThat(soak.out()).containsPattern("verdict: heap after GC .*; RSS .*; recovery \\(kill to evaluating again\\)");
        // the run folder is left whole: a later resume would continue it
        assertThat(out.resolve("run").resolve("journal").resolve("galapagos.mv.db")).exists();
        assertThat(Files.readString(out.resolve("soak.conf"))).contains("galapagos.worker.slots = 2");
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void engineOnlySoakRunsTheRealRunWithInstantEvaluationsAndResumesItAfterEachKill(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("soak");
        Outcome soak = galapagos("bench", "soak", "--engine-only", "--duration", "40s", "--sample-every", "10s",
                "--islands", "2", "--slots", "2", "--heap", "384m", "--out", out.toString());

        assertThat(soak.exitCode()).as(soak.out() + soak.err()).isZero();
        List<Long> evaluations = new ArrayList<>();
        List<Long> evaluatedBeforeKill = new ArrayList<>();
        for (String line : soak.out().lines().toList()) {
            Matcher row = ENGINE_ONLY_ROW.matcher(line);
            if (row.matches()) {
                evaluations.add(Long.parseLong(row.group(1)));
            }
            Matcher recovery = RECOVERED.matcher(line);
            if (recovery.find()) {
                evaluatedBeforeKill.add(Long.parseLong(recovery.group(1)));
            }
        }
        assertThat(evaluations).as(soak.out()).hasSizeGreaterThanOrEqualTo(2).isSorted();
        // one kill after the first sample, one at the end; a recovery line comes only once the resumed
        // process has journalled an evaluation after the kill
        assertThat(evaluatedBeforeKill).as(soak.out()).hasSize(2);
        assertThat(evaluatedBeforeKill.get(0)).as(soak.out()).isPositive();
        // the resumed process went on from the killed one's journal: the count went on, it did not start again
        assertThat(evaluations.get(evaluations.size() - 1)).as(soak.out()).isGreaterThan(evaluatedBeforeKill.get(0));
        assertThat(soak.out()).contains("engine only").containsPattern("verdict: heap after GC .*; recovery");

        Outcome status = galapagos("status", "--out", out.resolve("run").toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).as(status.out()).startsWith("task noop").containsPattern("evaluated [1-9]")
                // nothing was compiled or run: the instant evaluator answered every evaluation
                .containsPattern("isolation of \\d+ evaluations: none");
    }
}
