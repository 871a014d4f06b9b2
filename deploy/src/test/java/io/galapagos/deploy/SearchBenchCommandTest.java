package io.galapagos.deploy;

import io.galapagos.deploy.CliRun.Outcome;
import io.galapagos.deploy.bench.SearchBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.galapagos.deploy.CliRun.galapagos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search bench's flags; the table is SearchBenchmarkTest's, a real (tiny) bench SearchBenchIntegrationTest's. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SearchBenchCommandTest {

    @TempDir
    Path dir;

    private static void assertUsage(Outcome outcome, String... parts) {
        assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(Galapagos.EXIT_USAGE);
        assertThat(outcome.err().strip().lines()).as(outcome.err()).singleElement().asString()
                .startsWith("galapagos bench search: ").contains(parts);
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void badFlagsAreOneLineAndExitCodeTwoBeforeAnythingRuns() throws Exception {
        String data = dir.toString();
        assertUsage(galapagos("bench", "search"), "--data-dir");
        assertUsage(galapagos("bench", "search", "--data-dir", dir.resolve("none").toString()), "is not a directory");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--evaluations", "200,lots"),
                "--evaluations must be whole numbers");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--evaluations", "0,200"), "--evaluations must be positive");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--seeds", "1,1"), "--seeds names a value twice");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--seeds", ""), "--seeds must be whole numbers");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--variant", "a b"), "the name must be");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--variant", "x:islands.count=2"),
                "expected galapagos.KEY=VALUE, not 'islands.count=2'");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--variant", "x", "--variant", "x:galapagos.a=1"),
                "--variant x is given twice");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--islands", "0"), "--islands must be positive");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--task", "no-such-task"), "unknown task 'no-such-task'");
        Files.writeString(dir.resolve("taken"), "x");
        assertUsage(galapagos("bench", "search", "--data-dir", data, "--work", dir.toString()), "is not an empty directory");
    }

    @Test
    void theDefaultsAreTheTwoBudgetsTheThreeSeedsAndTheThreeVariants() {
        SearchBenchCommand command = new SearchBenchCommand();
        new CommandLine(command).parseArgs("--data-dir", dir.toString());
        SearchBenchmark.Setup setup = command.setup(dir);
        assertThat(setup.task()).isEqualTo("cant-be-late");
        assertThat(setup.evaluations()).containsExactly(200L, 1000L);
        assertThat(setup.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(setup.variants()).extracting(SearchBenchmark.Variant::name)
                .containsExactly("baseline", "constraints", "no-near-dup");
        assertThat(setup.variants().get(1).overrides()).containsExactly(Map.entry("galapagos.islands.constraints", "initial"));
    }

    @Test
    void aVariantNamesItsKeysAndTheyBecomeAConfigFile() {
        SearchBenchmark.Variant variant = SearchBenchmark.Variant.parse(
                "zero:galapagos.islands.constraints=zero, galapagos.islands.count=2");
        assertThat(variant.name()).isEqualTo("zero");
        assertThat(variant.overrides()).containsOnly(Map.entry("galapagos.islands.constraints", "zero"),
                Map.entry("galapagos.islands.count", "2"));
        assertThat(SearchBenchmark.Variant.parse("plain").overrides()).isEmpty();
        assertThatThrownBy(() -> SearchBenchmark.Variant.parse("x:galapagos.islands.count"))
                .hasMessageContaining("expected galapagos.KEY=VALUE");
        assertThat(SearchBenchCommand.positiveList("--evaluations", "200, 1000")).isEqualTo(List.of(200L, 1000L));
    }
}
