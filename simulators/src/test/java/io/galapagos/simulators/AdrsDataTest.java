package io.galapagos.simulators;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Missing published data: a loud skip naming the import command locally, a failure under CI. */
@Timeout(10)
class AdrsDataTest {

    @Test
    void locallyTheTestIsSkippedWithTheImportCommand() {
        assertThatThrownBy(() -> AdrsData.unavailable("the published ADRS data is missing", "get it with: " + AdrsData.IMPORT_COMMAND, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("the published ADRS data is missing")
                .hasMessageContaining("./galapagos data import --from ../ADRS");
    }

    @Test
    void underCiTheTestFails() {
        assertThatThrownBy(() -> AdrsData.unavailable("the published ADRS data is missing", "get it with: " + AdrsData.IMPORT_COMMAND, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("./galapagos data import --from ../ADRS")
                .hasMessageContaining("CI is set");
    }
}
