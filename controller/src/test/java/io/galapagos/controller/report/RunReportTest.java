package io.galapagos.controller.report;

import io.galapagos.simulators.ConstraintMetric;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.galapagos.controller.report.ReportFixtures.candidate;
import static io.galapagos.controller.report.ReportFixtures.history;
import static io.galapagos.controller.report.ReportFixtures.ok;
import static io.galapagos.controller.report.ReportFixtures.test;
import static org.assertj.core.api.Assertions.assertThat;

class RunReportTest {

    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]* points=\"([^\"]*)\"");
    private static final Pattern PLOT = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\" fill=\"none\"");

    /** A search that moves its best from -104.125 to -104.075 among children that score far worse. */
    private static RunHistory search() {
        return history(List.of(
                candidate("run/0", 0, Optional.empty(), Optional.of(ok(-104.125, Map.of("deadlineMisses", 0.0), 1)),
                        Optional.of(test(-103.5, Map.of()))),
                candidate("run/0", 1, Optional.of("run/0/0"), Optional.of(ok(-148.0, Map.of(), 2)), Optional.empty()),
                candidate("run/0", 2, Optional.of("run/0/0"), Optional.of(ok(-104.075, Map.of("deadlineMisses", 7.0), 3)),
                        Optional.of(test(-103.43, Map.of()))),
                candidate("run/0", 3, Optional.of("run/0/2"), Optional.of(ok(-131.0, Map.of(), 4)), Optional.empty())),
                List.of());
    }

    private static RunComparison.Row baseline(String name, double train) {
        return new RunComparison.Row(RunComparison.BASELINE + name, Optional.empty(),
                Optional.of(new RunComparison.Outcome("OK", Optional.of(train), Map.of())), Optional.empty());
    }

    @Test
    void eachGeneratorsChildrenAreCreditedWithWhatTheyGainedOverTheirParents() {
        RunHistory h = history(List.of(
                candidate("r/0", 0, Optional.empty(), Optional.of(ok(1.0, Map.of(), 0)), Optional.empty()),
                candidate("r/0", 1, Optional.of("r/0/0"), Optional.of(ok(3.5, Map.of(), 1)), Optional.empty()),
                candidate("r/0", 2, Optional.of("r/0/1"), Optional.of(ok(2.0, Map.of(), 2)), Optional.empty()),
                candidate("r/0", 3, Optional.of("r/0/1"), Optional.of(ok(4.0, Map.of(), 3)), Optional.empty()),
                candidate("r/0", 4, Optional.of("r/0/1"), Optional.empty(), Optional.empty())), List.of());
        assertThat(h.earned()).containsOnlyKeys("offline");
        assertThat(h.earned().get("offline")).isEqualTo(new RunHistory.Earned(3, 2, 3.0));
    }

    @Test
    void theBestLineFillsThePlotHowSmallItsMovementAndFarBaselinesAreNamedAtTheSide() {
        String svg = RunReport.svg(search(), List.of(baseline("uniform-progress", -98.3), baseline("on-demand", -148.0)));

        Matcher plot = PLOT.matcher(svg);
        assertThat(plot.find()).isTrue();
        double top = Double.parseDouble(plot.group(2));
        double height = Double.parseDouble(plot.group(4));
        Matcher line = POLYLINE.matcher(svg);
        assertThat(line.find()).as(svg).isTrue();
        double[] ys = Arrays.stream(line.group(1).split(" ")).mapToDouble(p -> Double.parseDouble(p.split(",")[1])).toArray();
        double span = Arrays.stream(ys).max().orElseThrow() - Arrays.stream(ys).min().orElseThrow();
        assertThat(span).as("the best line's rise, of a plot %s high", height).isGreaterThan(0.8 * height);
        assertThat(Arrays.stream(ys).allMatch(y -> y >= top && y <= top + height)).isTrue();
        assertThat(svg).contains("baseline uniform-progress -98.3000 \u2191 above", "baseline on-demand -148.000 \u2193 below")
                .doesNotContain("stroke-dasharray")
                .contains("run/0 best -104.075 (TEST -103.430)");
    }

    @Test
    void aBaselineWithinTheRangeIsADashedLine() {
        String svg = RunReport.svg(search(), List.of(baseline("close", -104.1)));

        assertThat(svg).contains("stroke-dasharray").contains("- - baseline close -104.100<");
    }

    @Test
    void thePageHoldsThePictureTheComparisonAndTheBestProgramEscaped() {
        RunHistory history = search();
        ConstraintMetric misses = new ConstraintMetric("deadlineMisses", true);
        RunComparison comparison = RunComparison.of(history, List.of(misses), List.of(baseline("on-demand", -148.0)),
                Optional.empty(), Optional.empty());
        String svg = RunReport.svg(history, List.of());

        String page = RunReport.html(history, comparison, svg);

        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg style=\"max-width:100%;height:auto\" ")
                .contains("<td>baseline on-demand</td>", "<td>run/0/2</td>", "deadlineMisses TRAIN/TEST")
                .contains("class C { int v = 2; }")
                .contains("WARNING: ")
                .doesNotContain("<script");
        assertThat(RunReport.escape("a < b && \"c\"")).isEqualTo("a &lt; b &amp;&amp; &quot;c&quot;");
    }
}
