package io.galapagos.deploy;

import io.galapagos.deploy.bench.EvaluationBreakdown.Phase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code galapagos bench engine --breakdown} on the default run's path: every phase is there and adds up. */
// integration lane: a whole run on the embedded node, with sandbox child JVMs and an H2 journal
@Tag("integration")
class EngineBreakdownCommandTest {

    private static final Pattern HEADER = Pattern.compile(
            "(\\d+) islands x (\\d+) in flight.*?(\\d+) evaluations in ([0-9.]+) s.*?; (\\d+) of them went");

    private record Cells(double mean, double p50, double p95, double share) {
    }

    private static Cells row(String out, String label) {
        Matcher m = Pattern.compile("\\| " + Pattern.quote(label)
                + " \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+)% \\|").matcher(out);
        assertThat(m.find()).as("row '%s' in:%n%s", label, out).isTrue();
        return new Cells(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)));
    }

    private static java.util.Set<java.nio.file.Path> breakdownFolders() throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("galapagos-bench-breakdown"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void breakdownOfANoopRunHasEveryPhaseAndFitsTheWallTime() throws java.io.IOException {
        java.util.Set<java.nio.file.Path> before = breakdownFolders();
        CliRun.Outcome run = CliRun.galapagos("bench", "engine", "--breakdown", "--task", "noop", "--iterations", "20");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher header = HEADER.matcher(run.out());
        assertThat(header.find()).as(run.out()).isTrue();
        int capacity = Integer.parseInt(header.group(1)) * Integer.parseInt(header.group(2));
        assertThat(Long.parseLong(header.group(3))).isPositive();
        int measured = Integer.parseInt(header.group(5));
        assertThat(measured).isPositive();
        double wallMillis = Double.parseDouble(header.group(4)) * 1000;

        List<Cells> phases = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            Cells cells = row(run.out(), phase.label());
            assertThat(cells.mean()).as(phase.label()).isGreaterThanOrEqualTo(0);
            assertThat(cells.p50()).as(phase.label()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(cells.p95());
            assertThat(cells.share()).as(phase.label()).isGreaterThanOrEqualTo(0);
            phases.add(cells);
        }
        Cells total = row(run.out(), "total: generator call to persisted result");
        double sum = phases.stream().mapToDouble(Cells::mean).sum();
        // rows are rounded to 0.01 ms each
        assertThat(sum).isCloseTo(total.mean(), org.assertj.core.api.Assertions.within(0.01 * phases.size()));
        assertThat(total.mean()).isPositive();
        // no more time in flight than the run had: Little's law with at most `capacity` candidates at once
        assertThat(total.mean() * measured).isLessThanOrEqualTo(wallMillis * capacity + 10 * measured);
        assertThat(total.share()).isLessThanOrEqualTo(100.05);
        java.util.Set<java.nio.file.Path> left = breakdownFolders();
        left.removeAll(before);
        assertThat(left).as("the run's temporary folder, removed after its node stopped").isEmpty();
    }
}
