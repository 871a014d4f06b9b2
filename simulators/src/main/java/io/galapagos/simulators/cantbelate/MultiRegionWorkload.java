package io.galapagos.simulators.cantbelate;

import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * The runs of each split of the multi-region task, with their traces loaded.
 *
 * <p>TRAIN is the original evaluator's stage 2: six scenarios, 34 runs; run {@code i} of a scenario
 * uses trace file {@code i} of every region. SMOKE is its stage 1 (us-east-1a + us-east-1c, trace 0).
 * TEST runs the same scenarios on the trace files 0..7 that TRAIN leaves unused (6-7 for the
 * three-region scenarios, 4-7 for five regions, 2-7 for all nine: 14 runs; the two two-region
 * scenarios already use all eight files and have no TEST runs).
 */
final class MultiRegionWorkload {

    static final String FOLDER = "cant-be-late-multi";
    static final int TRACE_FILES = 8;
    /** 60 h of 195 s ticks, the length of the published traces. */
    static final int SYNTHETIC_TICKS = 1107;

    /** A set of regions (index = position) and the trace files TRAIN runs on. */
    record Scenario(String name, List<String> regions, int trainTraces) {
        List<Integer> train() {
            return IntStream.range(0, trainTraces).boxed().toList();
        }

        List<Integer> test() {
            return IntStream.range(trainTraces, TRACE_FILES).boxed().toList();
        }
    }

    /** One run: trace {@code traceIndex} of every region of a scenario. */
    record ScheduledRun(Scenario scenario, int traceIndex, List<SpotTrace> traces) {
        String describe() {
            return "run " + scenario.name() + " trace " + traceIndex + " (regions " + String.join(", ", scenario.regions())
                    + ")";
        }
    }

    static final Scenario STAGE_1 = new Scenario("stage_1", List.of("us-east-1a_v100_1", "us-east-1c_v100_1"), 1);

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("2_zones_same_region", List.of("us-east-1a_v100_1", "us-east-1c_v100_1"), 8),
            new Scenario("2_regions_east_west", List.of("us-east-2a_v100_1", "us-west-2a_v100_1"), 8),
            new Scenario("3_regions_diverse", List.of("us-east-1a_v100_1", "us-east-2b_v100_1", "us-west-2c_v100_1"), 6),
            new Scenario("3_zones_same_region", List.of("us-east-1a_v100_1", "us-east-1c_v100_1", "us-east-1d_v100_1"), 6),
            new Scenario("5_regions_high_diversity", List.of("us-east-1a_v100_1", "us-east-1f_v100_1", "us-west-2a_v100_1",
                    "us-west-2b_v100_1", "us-east-2b_v100_1"), 4),
            new Scenario("all_9_regions", List.of("us-east-2a_v100_1", "us-west-2c_v100_1", "us-east-1d_v100_1",
                    "us-east-2b_v100_1", "us-west-2a_v100_1", "us-east-1f_v100_1", "us-east-1a_v100_1",
                    "us-west-2b_v100_1", "us-east-1c_v100_1"), 2));

    private final Map<Split, List<ScheduledRun>> runs;

    private MultiRegionWorkload(Map<Split, List<ScheduledRun>> runs) {
        this.runs = runs;
    }

    List<ScheduledRun> runs(Split split) {
        return runs.get(split);
    }

    static MultiRegionWorkload load(DataSource source) {
        if (source instanceof DataSource.Directory directory) {
            Path traces = directory.taskDirectory(FOLDER).resolve("traces");
            return build((region, index) -> TraceFiles.read(traces.resolve(region).resolve(index + ".json"),
                    region + "/" + index + ".json"));
        }
        long seed = ((DataSource.Synthetic) source).seed();
        return build((region, index) -> SyntheticTraces.multiRegion(seed, regionIndex(region), index, SYNTHETIC_TICKS));
    }

    private static int regionIndex(String region) {
        for (int r = 0; r < SyntheticTraces.MULTI_REGION.size(); r++) {
            if (SyntheticTraces.MULTI_REGION.get(r).region().equals(region)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no synthetic profile for region " + region);
    }

    private static MultiRegionWorkload build(BiFunction<String, Integer, SpotTrace> reader) {
        Map<String, SpotTrace> cache = new HashMap<>();
        BiFunction<String, Integer, SpotTrace> cached =
                (region, index) -> cache.computeIfAbsent(region + "/" + index, k -> reader.apply(region, index));
        Map<Split, List<ScheduledRun>> runs = new EnumMap<>(Split.class);
        runs.put(Split.SMOKE, List.of(run(STAGE_1, 0, cached)));
        List<ScheduledRun> train = new ArrayList<>();
        List<ScheduledRun> test = new ArrayList<>();
        for (Scenario scenario : SCENARIOS) {
            scenario.train().forEach(i -> train.add(run(scenario, i, cached)));
            scenario.test().forEach(i -> test.add(run(scenario, i, cached)));
        }
        runs.put(Split.TRAIN, List.copyOf(train));
        runs.put(Split.TEST, List.copyOf(test));
        return new MultiRegionWorkload(runs);
    }

    private static ScheduledRun run(Scenario scenario, int index, BiFunction<String, Integer, SpotTrace> reader) {
        List<SpotTrace> traces = new ArrayList<>();
        for (String region : scenario.regions()) {
            traces.add(reader.apply(region, index));
        }
        SpotTrace first = traces.get(0);
        for (SpotTrace trace : traces) {
            // the original asserts one tick length; equal lengths keep "past the end" the same in every region
            if (trace.gapSeconds() != first.gapSeconds() || trace.length() != first.length()) {
                throw new WorkloadException("traces of one run must share tick length and length: " + first
                        + " vs " + trace);
            }
        }
        return new ScheduledRun(scenario, index, List.copyOf(traces));
    }
}
