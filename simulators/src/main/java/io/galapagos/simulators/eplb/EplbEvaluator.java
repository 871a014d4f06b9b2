package io.galapagos.simulators.eplb;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.CpuTimer;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the candidate on window i and scores its placement on window i+1, for every window but the
 * last (the original's lag-one protocol). Score = (balancedness + speed) / 2 as in the original,
 * with speed = min(1, 0.1 s / mean candidate time): the Java baseline needs 5-40 ms (JIT, load), so
 * the cap keeps the time term from swamping balancedness while still punishing slow candidates. A
 * window's time is the thread's CPU time, the median of {@link CpuTimer#REPEATS} calls (each on a fresh
 * copy of the loads), so that the same program scores the same however busy the machine is.
 *
 * <p>Synthetic source: TRAIN is the eplb.md E4 workload (generator seed 20251126 for the default
 * source seed 42, shifted by the same amount for other seeds), TEST the same generator with the next
 * seed, SMOKE the first two TRAIN windows of the first four layers. Data directory: TRAIN the
 * windows of {@code eplb/expert-load.json} when the directory has it (the published file is not
 * public, so otherwise the synthetic TRAIN, named in the feedback), TEST and SMOKE as for the
 * default synthetic source.
 */
final class EplbEvaluator implements Evaluator<ExpertPlacer> {

    static final double REFERENCE_SECONDS = 0.1;
    static final int SMOKE_LAYERS = 4;
    static final String TASK_DIRECTORY = "eplb";

    private final DataSource source;
    private final ClusterShape shape;
    private final Map<Split, long[][][]> windows;
    private final String trainWorkload;

    private EplbEvaluator(DataSource source, ClusterShape shape, Map<Split, long[][][]> windows, String trainWorkload) {
        this.source = source;
        this.shape = shape;
        this.windows = windows;
        this.trainWorkload = trainWorkload;
    }

    static long generatorSeed(DataSource source) {
        long sourceSeed = source instanceof DataSource.Synthetic synthetic ? synthetic.seed() : DataSource.DEFAULT_SEED;
        return SyntheticMoeLoads.DEFAULT_SEED + (sourceSeed - DataSource.DEFAULT_SEED);
    }

    static EplbEvaluator load(DataSource source) {
        long seed = generatorSeed(source);
        long[][][] synthetic = SyntheticMoeLoads.windows(seed, SyntheticMoeLoads.LAYERS, SyntheticMoeLoads.EXPERTS,
                SyntheticMoeLoads.WINDOWS);
        Map<Split, long[][][]> windows = new EnumMap<>(Split.class);
        String trainWorkload = "synthetic MoE loads (eplb.md E4, generator seed " + seed + ")";
        windows.put(Split.TRAIN, synthetic);
        if (source instanceof DataSource.Directory directory) {
            Path file = directory.root().resolve(TASK_DIRECTORY).resolve(ExpertLoadFile.FILE);
            if (Files.exists(file)) {
                windows.put(Split.TRAIN, ExpertLoadFile.windows(file.getParent()));
                trainWorkload = file.toString();
            } else {
                // the published load history is not public; the synthetic workload is the task's only default
                trainWorkload += "; " + directory.root() + " has no " + TASK_DIRECTORY + "/" + ExpertLoadFile.FILE;
            }
        }
        windows.put(Split.TEST, SyntheticMoeLoads.windows(seed + 1, SyntheticMoeLoads.LAYERS, SyntheticMoeLoads.EXPERTS,
                SyntheticMoeLoads.WINDOWS));
        long[][][] smoke = new long[2][][];
        for (int w = 0; w < 2; w++) {
            smoke[w] = Arrays.copyOf(synthetic[w], SMOKE_LAYERS);
        }
        windows.put(Split.SMOKE, smoke);
        return new EplbEvaluator(source, ClusterShape.DEEPSEEK_V3, windows, trainWorkload);
    }

    long[][][] windows(Split split) {
        return windows.get(split);
    }

    @Override
    public int runCount(Split split) {
        return windows.get(split).length - 1;
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends ExpertPlacer> candidates, Split split) {
        long[][][] loads = windows.get(split);
        List<Map<String, Object>> runs = new ArrayList<>();
        double slotSum = 0;
        double gpuSum = 0;
        double secondsSum = 0;
        double worstSlot = Double.POSITIVE_INFINITY;
        int worstWindow = -1;
        Placement worstPlacement = null;
        for (int w = 0; w + 1 < loads.length; w++) {
            int window = w;
            Placement returned;
            double seconds;
            try {
                // CPU time, median of repeats, each on a fresh copy: the speed term must not move with the machine's load.
                CpuTimer.Timed<Placement> timed = CpuTimer.median(CpuTimer.REPEATS,
                        () -> candidates.get().rebalance(copy(loads[window]), shape), PlacementCheck::copy);
                returned = timed.result();
                seconds = timed.seconds();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                        "window " + w + ": rebalance threw " + CandidateFailures.describe(e), List.of(), runs);
            }
            Placement placement = returned; // copied right after the first call
            List<String> violations = PlacementCheck.violations(placement, loads[w + 1], shape);
            if (!violations.isEmpty()) {
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                        "window " + w + ": the placement is not valid: " + String.join("; ", violations), violations, runs);
            }
            Balancedness b = Balancedness.of(placement, loads[w + 1], shape);
            slotSum += b.perSlot();
            gpuSum += b.perGpu();
            secondsSum += seconds;
            if (b.perSlot() < worstSlot) {
                worstSlot = b.perSlot();
                worstWindow = w;
                worstPlacement = placement;
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("window", w);
            run.put("scoredOn", w + 1);
            run.put("balancedness", b.perSlot());
            run.put("balancednessGpu", b.perGpu());
            run.put("runtimeSeconds", seconds);
            runs.add(run);
        }
        int n = runs.size();
        double balancedness = slotSum / n;
        double balancednessGpu = gpuSum / n;
        double runtime = secondsSum / n;
        double speed = Math.min(1.0, REFERENCE_SECONDS / Math.max(runtime, 1e-9));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("balancedness", balancedness);
        metrics.put("balancednessGpu", balancednessGpu);
        metrics.put("speed", speed);
        metrics.put("runtimeSeconds", runtime);
        double score = (balancedness + speed) / 2;
        String feedback = String.format(Locale.ROOT,
                "Workload: %s.%n%s: %d placements, score %.5f = (balancedness %.5f + speed %.3f) / 2; per-GPU balancedness %.5f;"
                        + " mean rebalance time %.4f s (speed = min(1, 0.1 s / time)).%n"
                        + "Worst window: placement from window %d scored on window %d, balancedness %.5f.%n%s",
                split == Split.TRAIN ? trainWorkload : "synthetic MoE loads (eplb.md E4)", split.label(), n, score, balancedness, speed, balancednessGpu, runtime, worstWindow, worstWindow + 1,
                worstSlot, hottestSlot(worstPlacement, loads[worstWindow + 1]));
        return new EvaluationReport(EvaluationStatus.OK, score, metrics, feedback, List.of(), runs);
    }

    /** In the worst window, the layer whose hottest slot is furthest above the mean, with what it holds. */
    private String hottestSlot(Placement placement, long[][] next) {
        int worstLayer = 0;
        double worstRatio = 0;
        int worstSlot = 0;
        for (int l = 0; l < next.length; l++) {
            double[] slot = new double[shape.slots()];
            double sum = 0;
            for (int e = 0; e < next[l].length; e++) {
                int c = placement.replicaCounts()[l][e];
                for (int k = 0; k < c && next[l][e] > 0; k++) {
                    slot[placement.expertSlots()[l][e][k]] += (double) next[l][e] / c;
                }
                sum += next[l][e];
            }
            for (int s = 0; s < slot.length; s++) {
                double ratio = slot[s] / (sum / slot.length);
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worstLayer = l;
                    worstSlot = s;
                }
            }
        }
        int expert = placement.slotExperts()[worstLayer][worstSlot];
        return String.format(Locale.ROOT, "Hottest slot there: layer %d slot %d (GPU %d) holds expert %d with %d replica(s),"
                        + " %.2fx the layer's mean slot load.", worstLayer, worstSlot, worstSlot / shape.slotsPerGpu(), expert,
                placement.replicaCounts()[worstLayer][expert], worstRatio);
    }

    private static long[][] copy(long[][] load) {
        long[][] result = new long[load.length][];
        for (int l = 0; l < load.length; l++) {
            result[l] = load[l].clone();
        }
        return result;
    }
}
