package io.galapagos.controller;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.galapagos.controller.dispatch.DispatcherSettings;
import io.galapagos.controller.island.Constraints;
import io.galapagos.controller.island.IslandSettings;
import io.galapagos.controller.island.Noise;
import io.galapagos.controller.island.IslandTimers;
import io.galapagos.controller.island.Objectives;
import io.galapagos.controller.island.TuningSettings;
import io.galapagos.controller.run.DurationText;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code galapagos} configuration of the engine, read and checked at once, so that a bad key is
 * one clear message at start and not a failure in the middle of a run.
 */
public record EngineConfig(RunDefaults run, IslandSettings islands, IslandTimers islandTimers, int islandCount,
                           DispatcherSettings dispatcher, int snapshotEvery, int keepSnapshots,
                           RestartBackoff restartBackoff, Store store) {

    /**
     * The {@code galapagos.run} section: defaults that flags may override.
     *
     * @param wallClock the run-time budget; empty: no limit
     */
    public record RunDefaults(long iterations, long seed, Optional<Duration> wallClock, long earlyStopAfter,
                              Optional<Double> targetScore, List<String> cascade, boolean testBest, long dataSeed) {
    }

    /** The {@code galapagos.store} section. */
    public record Store(String url, String user, String password, String profile, String driver, int maxConnections) {
    }

    /** Reads {@code galapagos.*}; throws {@link IllegalArgumentException} with the key at fault. */
    public static EngineConfig from(Config root) {
        try {
            Config g = root.getConfig("galapagos");
            Config r = g.getConfig("run");
            Config i = g.getConfig("islands");
            Config d = g.getConfig("dispatcher");
            Config s = g.getConfig("store");
            Config b = g.getConfig("persistence.restart-backoff");
            List<String> cascade = r.getStringList("cascade").stream().map(v -> v.trim().toUpperCase(Locale.ROOT)).toList();
            for (String split : cascade) {
                if (!List.of("SMOKE", "TRAIN", "TEST").contains(split)) {
                    throw new IllegalArgumentException("galapagos.run.cascade: unknown split '" + split + "' (SMOKE, TRAIN, TEST)");
                }
            }
            RunDefaults run = new RunDefaults(r.getLong("iterations"), r.getLong("seed"),
                    DurationText.parseBudget("galapagos.run.wall-clock", r.getString("wall-clock")),
                    r.getLong("early-stop-after"), targetScore(r), cascade, r.getBoolean("test-best"), r.getLong("data-seed"));
            IslandSettings islands = new IslandSettings(i.getInt("in-flight"), i.getInt("grid-bins"),
                    i.getInt("archive-size"), i.getDouble("exploration-ratio"), i.getDouble("exploitation-ratio"),
                    i.getDouble("elite-ratio"), i.getInt("inspirations"), i.getInt("top-programs"),
                    i.getInt("migration-interval"), i.getInt("migration-rate"), i.getInt("recent-failures"),
                    i.getInt("max-failed-proposals-in-a-row"), i.getDouble("near-duplicate-similarity"),
                    tuning(root), new Constraints(Constraints.Mode.parse(i.getString("constraints")), Map.of()),
                    new Objectives(Objectives.Mode.parse(i.getString("objectives")), List.of()),
                    noise(root)).check();
            IslandTimers timers = new IslandTimers(i.getDuration("progress-interval"), i.getDuration("resubmit-interval"));
            DispatcherSettings dispatcher = new DispatcherSettings(d.getDuration("job-timeout"), d.getInt("max-attempts"),
                    d.getInt("remembered-results"), d.getInt("worker-quarantine-after"), d.getDuration("worker-quarantine"));
            Store store = new Store(s.getString("url"), s.getString("user"), s.getString("password"),
                    s.getString("profile"), s.getString("driver"), s.getInt("max-connections"));
            int count = i.getInt("count");
            if (count < 1) {
                throw new IllegalArgumentException("galapagos.islands.count must be positive, not " + count);
            }
            int snapshotEvery = i.getInt("snapshot-every");
            int keepSnapshots = i.getInt("keep-snapshots");
            if (snapshotEvery < 1 || keepSnapshots < 1) {
                throw new IllegalArgumentException("galapagos.islands.snapshot-every and keep-snapshots must be positive");
            }
            RestartBackoff backoff = new RestartBackoff(b.getDuration("min"), b.getDuration("max"), b.getDouble("random-factor"));
            return new EngineConfig(run, islands, timers, count, dispatcher, snapshotEvery, keepSnapshots, backoff,
                    store);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Read by full path, so that a value of the wrong type is named as {@code galapagos.tuning.<key>}. */
    private static TuningSettings tuning(Config root) {
        String t = "galapagos.tuning.";
        return new TuningSettings(root.getBoolean(t + "enabled"), root.getInt(t + "max-evaluations"),
                root.getInt(t + "every"), root.getDouble(t + "step"), root.getInt(t + "max-literals"));
    }

    /** Read by full path, so that a value of the wrong type is named as {@code galapagos.islands.noise.<key>}. */
    private static Noise noise(Config root) {
        String n = "galapagos.islands.noise.";
        // the task says whether it is stochastic (the run's command applies it); the config says how to handle it
        return new Noise(false, root.getInt(n + "repeats"), root.getDouble(n + "standard-errors"));
    }

    private static Optional<Double> targetScore(Config run) {
        String text = run.getString("target-score").trim();
        if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false") || text.equalsIgnoreCase("no")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("galapagos.run.target-score: expected a number or off, not '" + text + "'");
        }
    }

    public RetentionCriteria retention() {
        return RetentionCriteria.snapshotEvery(snapshotEvery, keepSnapshots);
    }
}
