package io.galapagos.deploy.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardSettingsTest {

    @Test
    void loopbackNeedsNoTokenAndIgnoresOne() {
        DashboardSettings settings = DashboardSettings.of("127.0.0.1", 7070, false, Optional.of("x".repeat(20)));

        assertThat(settings.token()).isEmpty();
        assertThat(DashboardSettings.of("localhost", 0, true, Optional.empty()).token()).isEmpty();
    }

    @Test
    void anyOtherAddressNeedsALongEnoughTokenFromTheEnvironment() {
        assertThatThrownBy(() -> DashboardSettings.of("0.0.0.0", 7070, false, Optional.empty()))
                .hasMessageStartingWith("the dashboard on 0.0.0.0 is reachable from other machines: set "
                        + DashboardSettings.TOKEN_VARIABLE);
        assertThatThrownBy(() -> DashboardSettings.of("0.0.0.0", 7070, false, Optional.of("  ")))
                .hasMessageContaining(DashboardSettings.TOKEN_VARIABLE);
        assertThatThrownBy(() -> DashboardSettings.of("0.0.0.0", 7070, false, Optional.of("tiny-9")))
                .hasMessage(DashboardSettings.TOKEN_VARIABLE + " is too short to protect the dashboard: use at least "
                        + DashboardSettings.MIN_TOKEN_LENGTH + " characters")
                .hasMessageNotContaining("tiny-9");
        assertThat(DashboardSettings.of("0.0.0.0", 7070, false, Optional.of(" 0123456789abcdef ")).token())
                .hasValue("0123456789abcdef");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> DashboardSettings.of("127.0.0.1", 70_000, true, Optional.empty()))
                .hasMessage("--http-port 70000 is not a port (0-65535)");
    }
}
