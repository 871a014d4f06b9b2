package io.galapagos.deploy.bench;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SearchBenchmarkTest {

    private static SearchBenchmark.Row row(String variant, long seed, double train, double test, double misses,
                                           double testMisses) {
        return new SearchBenchmark.Row(variant, 200, seed, Optional.of("run/0/" + seed),
                new SearchBenchmark.Scores(OptionalDouble.of(train), OptionalDouble.of(test),
                        Map.of("deadlineMisses", misses), Map.of("deadlineMisses", testMisses)), 61.4, "");
    }

    @Test
    void theTableHasARowPerRunMeansPerVariantAndBudgetAndTheReferences() {
        SearchBenchmark.Row failed = new SearchBenchmark.Row("constraints", 200, 1, Optional.empty(),
                SearchBenchmark.Scores.NONE, 3.0, "exit 1, see constraints-seed1-200.err");
        SearchBenchmark.Result result = new SearchBenchmark.Result(List.of(row("baseline", 1, -100.5, -98.25, 12, 10),
                row("baseline", 2, -101.5, -99.25, 3, 0), failed),
                Map.of("seed (initial program)", new SearchBenchmark.Scores(OptionalDouble.of(-106.7457),
                        OptionalDouble.of(-103.828), Map.of("deadlineMisses", 0.0), Map.of("deadlineMisses", 0.0))));

        List<String> table = SearchBenchmark.table(result);

        assertThat(table.get(0)).startsWith("variant").contains("evaluations", "seed", "best TRAIN", "best TEST", "misses");
        assertThat(table.get(1)).isEqualTo(
                "baseline               200     1    -100.500     -98.250         12/10       61  run/0/1");
        assertThat(table.get(3)).isEqualTo(
                "constraints            200     1           -           -             -        3  - (exit 1, see constraints-seed1-200.err)");
        assertThat(table).contains("baseline               200   n=2    -101.000     -98.750         15/10");
        assertThat(table).noneMatch(line -> line.startsWith("constraints") && line.contains("n="));
        assertThat(table).contains("seed (initial program)              -106.746    -103.828           0/0");
    }

    @Test
    void aSummaryGivesTheBestTheSeedAndTheBaselines(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve("summary.json"), """
                {"constraintMetrics":[{"name":"deadlineMisses","lowerIsBetter":true}],
                 "programs":[
                  {"program":"baseline uniform-progress","train":{"status":"OK","score":-104.9,"constraints":{"deadlineMisses":21.0}},
                   "test":{"status":"OK","score":-101.3,"constraints":{"deadlineMisses":28.0}}},
                  {"program":"seed (initial program)","candidate":"run/1/0","train":{"status":"OK","score":-106.7,"constraints":{"deadlineMisses":0.0}}},
                  {"program":"best run/0/35","candidate":"run/0/35","train":{"status":"OK","score":-99.5,"constraints":{"deadlineMisses":4.0}},
                   "test":{"status":"OK","score":-97.0,"constraints":{"deadlineMisses":6.0}}}],
                 "warnings":[]}
                """);

        SearchBenchmark.Summary summary = SearchBenchmark.readSummary(out).orElseThrow();

        assertThat(summary.bestId()).contains("run/0/35");
        assertThat(summary.best().train()).hasValue(-99.5);
        assertThat(summary.best().testConstraints()).containsEntry("deadlineMisses", 6.0);
        assertThat(summary.references()).containsOnlyKeys("baseline uniform-progress", "seed (initial program)");
        assertThat(summary.references().get("seed (initial program)").test()).isEmpty();
        assertThat(SearchBenchmark.readSummary(out.resolve("none"))).isEmpty();
    }

    @Test
    void aVariantsValuesAreWrittenAsHocon() {
        SearchBenchmark.Variant variant = SearchBenchmark.Variant.parse(
                "v:galapagos.islands.constraints=initial,galapagos.islands.near-duplicate-similarity=1");
        var config = ConfigFactory.parseString(variant.hocon());
        assertThat(config.getString("galapagos.islands.constraints")).isEqualTo("initial");
        assertThat(config.getDouble("galapagos.islands.near-duplicate-similarity")).isEqualTo(1.0);
    }
}
