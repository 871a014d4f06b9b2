package io.galapagos.controller;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineConfigTest {

    private static EngineConfig load(String overrides) {
        return EngineConfig.from(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void everyKeyIsRead() {
        EngineConfig c = load(String.join("\n",
                "galapagos.run { iterations = 77, seed = 5, wall-clock = 2m, early-stop-after = 9, target-score = 0.5,",
                "  cascade = [smoke, train, test], test-best = off, data-seed = 11 }",
                "galapagos.islands { count = 3, in-flight = 4, grid-bins = 5, archive-size = 6, exploration-ratio = 0.3,",
                "  exploitation-ratio = 0.6, elite-ratio = 0.2, inspirations = 1, top-programs = 2, migration-interval = 7,",
                "  migration-rate = 3, recent-failures = 8, max-failed-proposals-in-a-row = 9, near-duplicate-similarity = 0.95,",
                "  constraints = zero, progress-interval = 250ms,",
                "  resubmit-interval = 7s, snapshot-every = 50, keep-snapshots = 3 }",
                "galapagos.tuning { enabled = on, max-evaluations = 12, every = 30, step = 0.5, max-literals = 4 }",
                "galapagos.dispatcher { job-timeout = 40s, max-attempts = 5, remembered-results = 99,",
                "  worker-quarantine-after = 4, worker-quarantine = 90s }",
                "galapagos.persistence.restart-backoff { min = 2s, max = 45s, random-factor = 0.1 }",
                "galapagos.store { url = \"jdbc:postgresql://db/g\", user = u, password = p,",
                "  profile = \"slick.jdbc.PostgresProfile$\", driver = org.postgresql.Driver, max-connections = 7 }"));
        assertThat(c.run()).isEqualTo(new EngineConfig.RunDefaults(77, 5, Optional.of(Duration.ofMinutes(2)), 9, Optional.of(0.5),
                List.of("SMOKE", "TRAIN", "TEST"), false, 11));
        assertThat(c.islandCount()).isEqualTo(3);
        assertThat(c.islands()).isEqualTo(new io.galapagos.controller.island.IslandSettings(4, 5, 6, 0.3, 0.6, 0.2, 1, 2,
                7, 3, 8, 9, 0.95, new io.galapagos.controller.island.TuningSettings(true, 12, 30, 0.5, 4),
                new io.galapagos.controller.island.Constraints(io.galapagos.controller.island.Constraints.Mode.ZERO,
                        Map.of())));
        assertThat(c.islandTimers()).isEqualTo(new io.galapagos.controller.island.IslandTimers(Duration.ofMillis(250),
                Duration.ofSeconds(7)));
        assertThat(c.snapshotEvery()).isEqualTo(50);
        assertThat(c.keepSnapshots()).isEqualTo(3);
        assertThat(c.dispatcher()).isEqualTo(new io.galapagos.controller.dispatch.DispatcherSettings(
                Duration.ofSeconds(40), 5, 99, 4, Duration.ofSeconds(90)));
        assertThat(c.restartBackoff()).isEqualTo(new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(45), 0.1));
        assertThat(c.store()).isEqualTo(new EngineConfig.Store("jdbc:postgresql://db/g", "u", "p",
                "slick.jdbc.PostgresProfile$", "org.postgresql.Driver", 7));
    }

    @Test
    void aRestartBackoffWhoseMaxIsBelowItsMinNamesTheKey() {
        assertThatThrownBy(() -> load("galapagos.persistence.restart-backoff { min = 10s, max = 1s }"))
                .hasMessageStartingWith("galapagos.persistence.restart-backoff: min must be positive and max at least min");
        assertThatThrownBy(() -> load("galapagos.persistence.restart-backoff.random-factor = 2"))
                .hasMessage("galapagos.persistence.restart-backoff.random-factor must be between 0 and 1, not 2.0");
    }

    @Test
    @Timeout(10)
    void tuningIsOffByDefaultAndBadTuningValuesNameTheirKey() {
        assertThat(load("").islands().tuning().enabled()).isFalse();
        assertThatThrownBy(() -> load("galapagos.tuning.max-evaluations = 0"))
                .hasMessage("galapagos.tuning.max-evaluations must be positive, not 0");
        assertThatThrownBy(() -> load("galapagos.tuning.every = -1")).hasMessageStartingWith("galapagos.tuning.every");
        assertThatThrownBy(() -> load("galapagos.tuning.step = 0")).hasMessageStartingWith("galapagos.tuning.step");
        assertThatThrownBy(() -> load("galapagos.tuning.max-literals = 0"))
                .hasMessageStartingWith("galapagos.tuning.max-literals");
        assertThatThrownBy(() -> load("galapagos.tuning.enabled = maybe")).hasMessageContaining("tuning.enabled");
    }

    @Test
    void constraintsAreOffByDefaultAndABadModeNamesTheKey() {
        assertThat(load("").islands().constraints()).isEqualTo(io.galapagos.controller.island.Constraints.OFF);
        assertThat(load("galapagos.islands.constraints = Initial").islands().constraints().mode())
                .isEqualTo(io.galapagos.controller.island.Constraints.Mode.INITIAL);
        assertThatThrownBy(() -> load("galapagos.islands.constraints = some"))
                .hasMessage("galapagos.islands.constraints must be off, initial or zero, not 'some'");
    }

    @Test
    @Timeout(10)
    void objectivesAreTheScoreByDefaultAndABadModeNamesTheKey() {
        assertThat(load("").islands().objectives()).isEqualTo(io.galapagos.controller.island.Objectives.SCORE);
        assertThat(load("galapagos.islands.objectives = Pareto").islands().objectives().pareto()).isTrue();
        assertThatThrownBy(() -> load("galapagos.islands.objectives = nsga"))
                .hasMessage("galapagos.islands.objectives must be score or pareto, not 'nsga'");
    }

    @Test
    void noiseAppliesOnlyToStochasticTasksAndBadValuesNameTheirKey() {
        io.galapagos.controller.island.Noise noise = load("").islands().noise();
        assertThat(noise.active()).as("until a task says it is stochastic").isFalse();
        assertThat(noise.repeats()).isEqualTo(3);
        assertThat(load("galapagos.islands.noise.repeats = 5").islands().withNoise(true, java.util.Optional.empty())
                .noise().reEvaluations()).isEqualTo(4);
        assertThat(load("").islands().withNoise(true, java.util.Optional.of(2)).noise().reEvaluations())
                .as("a task folder's own repeats win").isEqualTo(1);
        assertThatThrownBy(() -> load("galapagos.islands.noise.repeats = 1"))
                .hasMessageStartingWith("galapagos.islands.noise.repeats");
        assertThatThrownBy(() -> load("galapagos.islands.noise.standard-errors = -1"))
                .hasMessageStartingWith("galapagos.islands.noise.standard-errors");
        assertThatThrownBy(() -> load("galapagos.islands.noise.repeats = many")).hasMessageContaining("noise.repeats");
    }

    @Test
    void targetScoreOffMeansNoTarget() {
        assertThat(load("").run().targetScore()).isEmpty();
    }

    @Test
    @Timeout(60)
    void theWallClockBudgetIsOffByDefaultAndReadsHoconDurations() {
        assertThat(load("").run().wallClock()).isEmpty();
        assertThat(load("galapagos.run.wall-clock = 90m").run().wallClock()).contains(Duration.ofMinutes(90));
        assertThat(load("galapagos.run.wall-clock = 0").run().wallClock()).isEmpty();
        assertThatThrownBy(() -> load("galapagos.run.wall-clock = soon"))
                .hasMessage("galapagos.run.wall-clock: 'soon' is not a duration; write e.g. 90m, 2h or 30s, or off");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> load("galapagos.run.cascade = [smoke, validate]"))
                .hasMessageContaining("galapagos.run.cascade").hasMessageContaining("VALIDATE");
        assertThatThrownBy(() -> load("galapagos.run.target-score = high")).hasMessageContaining("target-score");
        assertThatThrownBy(() -> load("galapagos.islands.in-flight = 0")).hasMessageContaining("in-flight");
        assertThatThrownBy(() -> load("galapagos.dispatcher.max-attempts = 0")).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> load("galapagos.islands.count = lots")).hasMessageContaining("count");
    }
}
