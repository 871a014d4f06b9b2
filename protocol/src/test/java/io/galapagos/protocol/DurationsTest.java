package io.galapagos.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DurationsTest {

    @Test
    void shortDurationsKeepTheirPrecisionLongOnesTheirTwoLargestUnits() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(Durations.format(Duration.ofMillis(4_240))).isEqualTo("4.2 s");
        assertThat(Durations.format(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Durations.format(Duration.ofSeconds(12 * 60 + 30))).isEqualTo("12m 30s");
        assertThat(Durations.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
        assertThat(Durations.format(Duration.ofHours(51))).isEqualTo("2d 03h");
    }

    @Test
    void roundingNeverPrintsSixtySecondsOrSixtyMinutes() {
        assertThat(Durations.format(Duration.ofMillis(59_600))).isEqualTo("1m 00s");
        assertThat(Durations.format(Duration.ofSeconds(3_599))).isEqualTo("59m 59s");
        assertThat(Durations.format(Duration.ofSeconds(3_600 + 59 * 60 + 40))).isEqualTo("2h 00m");
    }

    @Test
    void negativeAndZeroDurationsReadAsZero() {
        assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("0 ms");
        assertThat(Durations.formatMillis(0)).isEqualTo("0 ms");
    }
}
