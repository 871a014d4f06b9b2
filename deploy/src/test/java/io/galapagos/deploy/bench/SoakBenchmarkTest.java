package io.galapagos.deploy.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The growth of a soak's figures from the first third of its samples to the last third. */
class SoakBenchmarkTest {

    /** One sample a minute for {@code minutes} minutes, with heap and RSS from {@code heap} and {@code rss}. */
    private static List<SoakBenchmark.Sample> samples(int minutes, IntToDoubleFunction heap, IntToDoubleFunction rss) {
        List<SoakBenchmark.Sample> samples = new ArrayList<>();
        for (int m = 1; m <= minutes; m++) {
            samples.add(new SoakBenchmark.Sample(m, 600L * m, 600, heap.applyAsDouble(m), rss.applyAsDouble(m), 200,
                    2000L * m, 0.5 * m, 10, 40, 1.0 * m));
        }
        return samples;
    }

    @Test
    void heapThatRisesAMegabyteAMinuteGrowsSixtyMegabytesAnHourAndIsNotFlat() {
        SoakBenchmark.Report report = new SoakBenchmark.Report(samples(30, m -> 40 + m, m -> 300), List.of(), 5);

        SoakBenchmark.Growth heap = report.heap().orElseThrow();

        // thirds of 10 samples: minutes 1-10 (mean 5.5) and 21-30 (mean 25.5)
        assertThat(heap.firstThirdMb()).isCloseTo(45.5, within(1e-9));
        assertThat(heap.lastThirdMb()).isCloseTo(65.5, within(1e-9));
        assertThat(heap.mbPerHour()).isCloseTo(60.0, within(1e-9));
        assertThat(heap.flat()).isFalse();
        assertThat(report.rss().orElseThrow().mbPerHour()).isZero();
        assertThat(report.rss().orElseThrow().flat()).isTrue();
    }

    @Test
    void aFigureThatSwingsWithinTenPercentIsFlat() {
        SoakBenchmark.Report report = new SoakBenchmark.Report(samples(31, m -> m % 2 == 0 ? 200 : 215, m -> 500 + m),
                List.of(), 5);

        assertThat(report.heap().orElseThrow().flat()).isTrue();
        // RSS 500 + minute: the last third's mean exceeds the first's by 21 MB, within 10% of 505 MB
        assertThat(report.rss().orElseThrow().lastThirdMb() - report.rss().orElseThrow().firstThirdMb())
                .isCloseTo(21.0, within(1e-9));
        assertThat(report.rss().orElseThrow().flat()).isTrue();
    }

    @Test
    void samplesWithoutTheFigureAreLeftOutAndFewerThanThreeGiveNoGrowth() {
        List<SoakBenchmark.Sample> samples = samples(6, m -> m <= 4 ? Double.NaN : 100, m -> 300);

        assertThat(SoakBenchmark.Growth.of(samples, SoakBenchmark.Sample::heapMb)).isEmpty();
        assertThat(SoakBenchmark.Growth.of(samples.subList(0, 2), SoakBenchmark.Sample::rssMb)).isEmpty();
        assertThat(SoakBenchmark.Growth.of(samples.subList(0, 3), SoakBenchmark.Sample::rssMb)).isPresent();
    }

    @Test
    void residentMemoryOfThisProcessIsReadFromProc() {
        // this JVM holds at least its heap's used part in memory
        assertThat(SoakBenchmark.rssMb(ProcessHandle.current())).isGreaterThan(10.0);
    }
}
