package io.galapagos.simulators.cantbelate;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.WorkloadException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs of each split of the single-region task, with their traces loaded.
 *
 * <p>TRAIN is the original evaluator's grid: 4 envs x the 30 selected traces x deadlines
 * {52, 70, 92} h x restart overheads {0.02, 0.2, 0.4} h (1080 runs, task 48 h). TEST is the same
 * grid on 30 other traces per env: the trace files that TRAIN does not use, sorted by number, of
 * which the 30 evenly spaced ones (index {@code round(j * (n - 1) / 29)}) are taken. SMOKE is the first
 * TRAIN trace of each env at (52 h, 0.02 h) and (92 h, 0.4 h): 8 runs.
 */
final class SingleRegionWorkload {

    static final String FOLDER = "cant-be-late";
    /** The envs in the original evaluator's order ({@code ENV_PATHS}). */
    static final List<String> ENVS = List.of("us-west-2a_k80_1", "us-west-2b_k80_1", "us-west-2a_v100_1",
            "us-west-2b_v100_1");
    static final int[] DEADLINE_HOURS = {52, 70, 92};
    static final double[] OVERHEAD_HOURS = {0.02, 0.2, 0.4};
    static final int TRACES_PER_ENV = 30;
    /** 92 h of 600 s ticks plus two, the length of the published traces. */
    static final int SYNTHETIC_TICKS = 554;

    /** One run: a trace of an env under one job configuration. */
    record ScheduledRun(String env, String traceName, SpotTrace trace, int deadlineHours, double overheadHours) {
        String scenario() {
            return env + "|d48_dl" + deadlineHours + "_o" + overheadHours;
        }

        boolean sameScenario(ScheduledRun other) {
            return env.equals(other.env) && deadlineHours == other.deadlineHours && overheadHours == other.overheadHours;
        }

        String describe() {
            return "run " + env + "/" + traceName + " (deadline " + deadlineHours + " h, restart overhead "
                    + overheadHours + " h)";
        }
    }

    /** The traces of one env in one split, in run order. */
    record EnvTraces(String env, List<String> names, List<SpotTrace> traces) {
    }

    private final Map<Split, List<ScheduledRun>> runs;
    private final Map<Split, List<EnvTraces>> traces;

    private SingleRegionWorkload(Map<Split, List<EnvTraces>> traces) {
        this.traces = traces;
        this.runs = new EnumMap<>(Split.class);
        runs.put(Split.TRAIN, grid(traces.get(Split.TRAIN)));
        runs.put(Split.TEST, grid(traces.get(Split.TEST)));
        runs.put(Split.SMOKE, smoke(traces.get(Split.TRAIN)));
    }

    List<ScheduledRun> runs(Split split) {
        return runs.get(split);
    }

    /** Trace names per env of a split (for tests and reports). */
    Map<String, List<String>> traceNames(Split split) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (EnvTraces env : traces.get(split == Split.SMOKE ? Split.TRAIN : split)) {
            names.put(env.env(), env.names());
        }
        return names;
    }

    static SingleRegionWorkload load(DataSource source) {
        if (source instanceof DataSource.Directory directory) {
            return fromDirectory(directory.taskDirectory(FOLDER));
        }
        return synthetic(((DataSource.Synthetic) source).seed());
    }

    /** Synthetic traces 0..29 of each env for TRAIN, 30..59 for TEST. */
    static SingleRegionWorkload synthetic(long seed) {
        Map<Split, List<EnvTraces>> traces = new EnumMap<>(Split.class);
        traces.put(Split.TRAIN, syntheticSplit(seed, 0));
        traces.put(Split.TEST, syntheticSplit(seed, TRACES_PER_ENV));
        return new SingleRegionWorkload(traces);
    }

    private static List<EnvTraces> syntheticSplit(long seed, int firstIndex) {
        List<EnvTraces> split = new ArrayList<>();
        for (int e = 0; e < ENVS.size(); e++) {
            List<String> names = new ArrayList<>();
            List<SpotTrace> loaded = new ArrayList<>();
            for (int i = firstIndex; i < firstIndex + TRACES_PER_ENV; i++) {
                names.add("synthetic-" + i);
                loaded.add(SyntheticTraces.singleRegion(seed, e, i, SYNTHETIC_TICKS));
            }
            split.add(new EnvTraces(ENVS.get(e), List.copyOf(names), List.copyOf(loaded)));
        }
        return List.copyOf(split);
    }

    static SingleRegionWorkload fromDirectory(Path dir) {
        Path selectedFile = dir.resolve("selected_traces.json");
        JsonNode selected = TraceFiles.readJson(selectedFile);
        Map<Split, List<EnvTraces>> traces = new EnumMap<>(Split.class);
        List<EnvTraces> train = new ArrayList<>();
        List<EnvTraces> test = new ArrayList<>();
        for (String env : ENVS) {
            JsonNode names = selected.get(env);
            if (names == null || !names.isArray() || names.isEmpty()) {
                throw new WorkloadException(selectedFile + " has no list of trace files for env " + env);
            }
            Path envDir = dir.resolve("traces").resolve(env);
            List<String> trainNames = new ArrayList<>();
            Set<Integer> used = new HashSet<>();
            for (JsonNode name : names) {
                String file = name.asText();
                if (!name.isTextual() || !file.matches("[0-9]{1,9}\\.json")) {
                    throw new WorkloadException(selectedFile + ": env " + env + " lists " + name
                            + ", expected a file name like \"17.json\"");
                }
                trainNames.add(file);
                used.add(Integer.parseInt(file.substring(0, file.length() - ".json".length())));
            }
            train.add(load(env, envDir, trainNames));
            test.add(load(env, envDir, heldOut(envDir, used)));
        }
        traces.put(Split.TRAIN, List.copyOf(train));
        traces.put(Split.TEST, List.copyOf(test));
        return new SingleRegionWorkload(traces);
    }

    /** The TEST traces of an env: 30 evenly spaced among the numbered files that TRAIN does not use. */
    static List<String> heldOut(Path envDir, Set<Integer> used) {
        List<Integer> unused = new ArrayList<>(TraceFiles.numberedTraces(envDir));
        unused.removeAll(used);
        if (unused.isEmpty()) {
            throw new WorkloadException("trace folder " + envDir + " has no trace file besides the "
                    + used.size() + " selected ones, so the TEST split would be empty");
        }
        List<String> names = new ArrayList<>();
        if (unused.size() <= TRACES_PER_ENV) {
            unused.forEach(i -> names.add(i + ".json"));
            return names;
        }
        int last = unused.size() - 1;
        for (int j = 0; j < TRACES_PER_ENV; j++) {
            names.add(unused.get((int) Math.round((double) j * last / (TRACES_PER_ENV - 1))) + ".json");
        }
        return names;
    }

    private static EnvTraces load(String env, Path envDir, List<String> names) {
        Map<String, SpotTrace> byName = new HashMap<>();
        List<SpotTrace> loaded = new ArrayList<>();
        for (String name : names) {
            loaded.add(byName.computeIfAbsent(name, n -> TraceFiles.read(envDir.resolve(n), env + "/" + n)));
        }
        return new EnvTraces(env, List.copyOf(names), List.copyOf(loaded));
    }

    /** Deadline, then overhead, then env, then trace: the order of the original evaluator's results. */
    private static List<ScheduledRun> grid(List<EnvTraces> envs) {
        List<ScheduledRun> grid = new ArrayList<>();
        for (int deadline : DEADLINE_HOURS) {
            for (double overhead : OVERHEAD_HOURS) {
                for (EnvTraces env : envs) {
                    for (int i = 0; i < env.traces().size(); i++) {
                        grid.add(new ScheduledRun(env.env(), env.names().get(i), env.traces().get(i), deadline, overhead));
                    }
                }
            }
        }
        return List.copyOf(grid);
    }

    private static List<ScheduledRun> smoke(List<EnvTraces> envs) {
        List<ScheduledRun> smoke = new ArrayList<>();
        for (EnvTraces env : envs) {
            smoke.add(new ScheduledRun(env.env(), env.names().get(0), env.traces().get(0), 52, 0.02));
            smoke.add(new ScheduledRun(env.env(), env.names().get(0), env.traces().get(0), 92, 0.4));
        }
        return List.copyOf(smoke);
    }
}
