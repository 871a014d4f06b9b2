package io.galapagos.worker.sandbox;

import com.typesafe.config.ConfigException;
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

        assertThat(settings).isEqualTo(SandboxSettings.defaults()).isEqualTo(new SandboxSettings(
                Runtime.getRuntime().availableProcessors(), 512, Duration.ofMinutes(5), 200, 8 * 1024, 64 * 1024,
                Duration.ofSeconds(60), new JailSettings(JailSettings.Isolation.BWRAP, Path.of("bwrap"), Path.of("prlimit"),
                new JailSettings.Limits(1L << 30, Duration.ofHours(1), 1024, 256, 64L << 20, 64L << 20)), List.of(),
                Optional.empty(), new SandboxSettings.Deadlines(true, 20, Duration.ofSeconds(5), Duration.ofSeconds(30))));
    }

    @Test
    void theSandboxHasOneChildPerWorkerSlot() {
        assertThat(SandboxSettings.fromConfig(ConfigFactory.parseString("galapagos.worker.slots = 3")
                .withFallback(ConfigFactory.load())).slots()).isEqualTo(3);
        assertThatThrownBy(() -> SandboxSettings.fromConfig(ConfigFactory.parseString("galapagos.worker.slots = -1")
                .withFallback(ConfigFactory.load())))
                .hasMessage("galapagos.worker.slots must be 0 (one per core) or positive, not -1");
    }

    @Test
    void everyKeyIsRead() {
        SandboxSettings settings = SandboxSettings.fromConfig(ConfigFactory.parseString("""
                galapagos.worker.slots = 3
                galapagos.sandbox {
                  heap = 256m, evaluation-timeout = 90s, max-evaluations-per-child = 7
                  output-cap = 1k, max-source = 32k, start-timeout = 20s, isolation = none
                  bwrap = /opt/bin/bwrap, prlimit = /opt/bin/prlimit
                  limits { address-space-beyond-heap = 768m, cpu-time = 10m, processes = 64, open-files = 100
                           file-size = 1m, work-directory-size = 2m }
                  extra-jvm-options = ["-XX:TieredStopAtLevel=1"], work-directory = "/var/tmp/galapagos"
                  deadlines { calibrate = off, multiple = 4.5, floor = 2s, compile = 12s }
                }
                """).withFallback(ConfigFactory.load()));

        assertThat(settings).isEqualTo(new SandboxSettings(3, 256, Duration.ofSeconds(90), 7, 1024, 32 * 1024,
                Duration.ofSeconds(20), new JailSettings(JailSettings.Isolation.NONE, Path.of("/opt/bin/bwrap"),
                Path.of("/opt/bin/prlimit"), new JailSettings.Limits(768L << 20, Duration.ofMinutes(10), 64, 100, 1 << 20,
                2 << 20)), List.of("-XX:TieredStopAtLevel=1"), Optional.of(Path.of("/var/tmp/galapagos")),
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
    void isolationIsBwrapOrNone() {
        assertThatThrownBy(() -> SandboxSettings.fromConfig(ConfigFactory.parseString("galapagos.sandbox.isolation = unshare")
                .withFallback(ConfigFactory.load())))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("isolation").hasMessageContaining("bwrap or none");
    }

    @Test
    void theAddressSpaceLimitGrowsWithTheHeap() {
        JailSpec.Limits limits = JailSettings.defaults().limits().forHeap(512);

        assertThat(limits.addressSpaceBytes()).isEqualTo((512L + 1024) << 20);
        assertThat(limits.cpuSeconds()).isEqualTo(3600);
    }
}
