package io.galapagos.controller;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class JournalWritesTest {

    @Test
    void writesLandInTheirBucketsAndTheSnapshotCountsThemCumulativelyAsPrometheusDoes() {
        JournalWrites writes = new JournalWrites();
        writes.record(Duration.ofMillis(1).toNanos());          // le 1 ms: bounds are inclusive
        writes.record(Duration.ofMillis(3).toNanos());          // le 5 ms
        writes.record(Duration.ofMillis(40).toNanos());         // le 50 ms
        writes.record(Duration.ofSeconds(30).toNanos());        // above every bound

        JournalWrites.Snapshot snapshot = writes.snapshot();

        assertThat(snapshot.count()).isEqualTo(4);
        assertThat(snapshot.total()).isEqualTo(Duration.ofMillis(30_044));
        assertThat(snapshot.cumulative(0)).isEqualTo(1);
        assertThat(snapshot.cumulative(2)).isEqualTo(2);
        assertThat(snapshot.cumulative(5)).isEqualTo(3);
        assertThat(snapshot.cumulative(JournalWrites.BOUNDS_MILLIS.length - 1)).isEqualTo(3);
        assertThat(snapshot.cumulative(JournalWrites.BOUNDS_MILLIS.length)).isEqualTo(4);
    }
}
