package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.simulators.AdrsData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny search bench on the published Can't-Be-Late data: two budgets of one seed for two variants, each
 * a real run extended by resume. The constrained run's best breaks the deadline no more than the seed.
 */
// integration lane: starts four embedded runs as child JVMs with their sandboxes
@Tag("integration")
class SearchBenchIntegrationTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aTinyBenchMeasuresEachVariantAtEachBudgetAndWritesTheTable(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("table.txt");
        Outcome bench = galapagos("bench", "search", "--data-dir", AdrsData.root().toString(), "--evaluations", "8,16",
                "--seeds", "1", "--islands", "2", "--variant", "baseline", "--variant",
                "zero:galapagos.islands.constraints=zero", "--out", table.toString(), "--work", dir.resolve("runs").toString());

        assertThat(bench.exitCode()).as(bench.out() + bench.err()).isZero();
        List<String> rows = bench.out().lines().filter(l -> l.matches("^(baseline|zero)\\s+(8|16)\\s+1\\s.*")).toList();
        assertThat(rows).as(bench.out()).hasSize(4);
        assertThat(rows).allSatisfy(r -> assertThat(r).matches(".*\\s-1\\d\\d\\.\\d{3}\\s+-1\\d\\d\\.\\d{3}\\s+\\d+/\\d+\\s.*"));
        // the seed misses no deadline: with zero allowed, the best misses none on TRAIN either
        assertThat(rows).filteredOn(r -> r.startsWith("zero")).allSatisfy(r -> assertThat(r).matches(".*\\s0/\\d+\\s.*"));
        assertThat(bench.out()).contains("seed (initial program)", "baseline uniform-progress");
        assertThat(Files.readString(table)).contains(rows.get(0)).contains("means over the seeds");
        assertThat(dir.resolve("runs/zero-seed1/summary.json")).isRegularFile();
    }
}
