package io.galapagos.worker.sandbox;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxSettingsTest {

    @Test
    void referenceConfigGivesTheDefaults() {
        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.load());

        assertThat(settings).isEqualTo(SandboxSettings.defaults());
    }

    @Test
    void everyKeyIsRead() {
        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.parseString("""
                galapagos.sandbox {
                  slots = 3, heap = 256m, evaluation-timeout = 90s, max-evaluations-per-child = 7
                  output-cap = 1k, max-source = 32k, start-timeout = 20s, network-isolation = off
                  extra-jvm-options = ["-XX:TieredStopAtLevel=1"], work-directory = "/var/tmp/galapagos"
                  deadlines { calibrate = off, multiple = 4.5, floor = 2s, compile = 12s }
                }
                """).withFallback(ConfigFactory.load()));

        assertThat(settings).isEqualTo(new SandboxSettings(3, 256, Duration.ofSeconds(90), 7, 1024, 32 * 1024,
                Duration.ofSeconds(20), false, List.of("-XX:TieredStopAtLevel=1"), Optional.of(Path.of("/var/tmp/galapagos")),
                new SandboxSettings.Deadlines(false, 4.5, Duration.ofSeconds(2), Duration.ofSeconds(12))));
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        assertThatThrownBy(() -> SandboxSettings.defaults().withSlots(0)).hasMessageContaining("slots must be positive");
        assertThatThrownBy(() -> SandboxSettings.defaults().withEvaluationTimeout(Duration.ZERO))
                .hasMessageContaining("evaluationTimeout");
    }

    @Test
    void deadlineMultipleBelowOneIsRefused() {
        assertThatThrownBy(() -> new SandboxSettings.Deadlines(true, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("deadlines.multiple");
    }

    @Test
    void disabledIsolationSaysSo() {
        assertThat(Isolation.probe(false, ChildProcess.javaExecutable()).description())
                .isEqualTo("none (network isolation disabled in the settings)");
    }
}
