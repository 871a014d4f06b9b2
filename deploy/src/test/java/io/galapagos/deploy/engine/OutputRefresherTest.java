package io.galapagos.deploy.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class OutputRefresherTest {

    /**
     * A fast run's first refresh after a resume took 84 s, and the next waited ten times that: the outputs
     * stopped following the journal for the rest of the soak.
     */
    @Test
    void aLongRefreshDoesNotPutTheNextOneOffBeyondTheLongestPause() {
        long max = OutputRefresher.MAX_PAUSE.toMillis();
        assertThat(OutputRefresher.nextPause(3_000, 84_000)).isEqualTo(max);
        assertThat(OutputRefresher.nextPause(3_000, Long.MAX_VALUE / 100)).isEqualTo(max);
    }

    @Test
    void aShortRefreshWaitsTenTimesItsWorkButNoLessThanTheCadence() {
        assertThat(OutputRefresher.nextPause(3_000, 0)).isEqualTo(3_000);
        assertThat(OutputRefresher.nextPause(3_000, 200)).isEqualTo(3_000);
        assertThat(OutputRefresher.nextPause(3_000, 500)).isEqualTo(5_000);
    }
}
