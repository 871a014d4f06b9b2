package io.galapagos.simulators.telemetry;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.CandidateFailures;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.PythonRandom;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.SplitMix64;
import io.galapagos.simulators.WorkloadException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Corrupts every snapshot of a split once, with the original's seeded generator, and scores
 * candidates on the corrupted snapshots.
 *
 * <p>Splits with a data directory: TRAIN is the original evaluation (30 of the 40 published rows
 * sampled and corrupted by {@code random.Random(42)}); TEST the 10 rows it never samples, corrupted
 * three times each by {@code random.Random(43)}; SMOKE the first two TRAIN runs. Synthetic: 30 TRAIN
 * and 30 TEST snapshots of one generated network from separate streams, SMOKE the first two of TRAIN.
 */
final class TelemetryRepairEvaluator implements Evaluator<TelemetryRepairer> {

    static final int TRAIN_ROWS = 30;
    static final long TRAIN_SEED = 42;
    static final long TEST_SEED = 43;
    static final int TEST_PASSES = 3;
    static final int SMOKE_RUNS = 2;
    private static final int WORST_SHOWN = 3;

    private final DataSource source;
    private final Map<Split, List<TelemetryCase>> cases;

    private TelemetryRepairEvaluator(DataSource source, Map<Split, List<TelemetryCase>> cases) {
        this.source = source;
        this.cases = cases;
    }

    static TelemetryRepairEvaluator load(DataSource source) {
        Map<Split, List<TelemetryCase>> cases = new EnumMap<>(Split.class);
        if (source instanceof DataSource.Directory directory) {
            List<NetworkSnapshot> rows = PublishedTelemetry.load(directory.taskDirectory(TelemetryRepairTask.ID));
            if (rows.size() <= TRAIN_ROWS) {
                throw new WorkloadException("the telemetry snapshots need more than " + TRAIN_ROWS
                        + " rows (TRAIN samples " + TRAIN_ROWS + ", TEST holds out the rest), found " + rows.size());
            }
            PythonRandom trainRng = PythonRandom.seeded(TRAIN_SEED);
            List<NetworkSnapshot> chosen = trainRng.sample(rows, TRAIN_ROWS);
            cases.put(Split.TRAIN, corruptAll(chosen, trainRng));
            Set<NetworkSnapshot> seen = new HashSet<>(chosen);
            List<NetworkSnapshot> heldOut = new ArrayList<>();
            for (int pass = 0; pass < TEST_PASSES; pass++) {
                rows.stream().filter(r -> !seen.contains(r)).forEach(heldOut::add);
            }
            cases.put(Split.TEST, corruptAll(heldOut, PythonRandom.seeded(TEST_SEED)));
        } else {
            long seed = ((DataSource.Synthetic) source).seed();
            SyntheticTelemetry network = new SyntheticTelemetry(seed);
            List<NetworkSnapshot> train = network.snapshots(new SplitMix64(seed ^ 0x7E1E_0001L), TRAIN_ROWS, "train snapshot");
            List<NetworkSnapshot> test = network.snapshots(new SplitMix64(seed ^ 0x7E1E_0002L), TRAIN_ROWS, "test snapshot");
            cases.put(Split.TRAIN, corruptAll(train, PythonRandom.seeded(seed)));
            cases.put(Split.TEST, corruptAll(test, PythonRandom.seeded(seed + 1)));
        }
        cases.put(Split.SMOKE, cases.get(Split.TRAIN).subList(0, SMOKE_RUNS));
        return new TelemetryRepairEvaluator(source, cases);
    }

    /** One generator for all snapshots of a split, never reseeded, as in the original loop. */
    private static List<TelemetryCase> corruptAll(List<NetworkSnapshot> snapshots, PythonRandom rng) {
        List<TelemetryCase> result = new ArrayList<>();
        for (NetworkSnapshot snapshot : snapshots) {
            if (!snapshot.interfaces().isEmpty()) {
                result.add(Corruption.corrupt(snapshot, rng));
            }
        }
        return List.copyOf(result);
    }

    List<TelemetryCase> cases(Split split) {
        return cases.get(split);
    }

    @Override
    public int runCount(Split split) {
        return cases.get(split).size();
    }

    @Override
    public DataSource dataSource() {
        return source;
    }

    @Override
    public EvaluationReport evaluate(Supplier<? extends TelemetryRepairer> candidates, Split split) {
        List<TelemetryCase> runs = cases.get(split);
        List<Map<String, Object>> records = new ArrayList<>();
        List<RepairScore> scores = new ArrayList<>();
        List<Map<String, InterfaceRepair>> outputs = new ArrayList<>();
        for (TelemetryCase run : runs) {
            Map<String, InterfaceRepair> output;
            List<String> violations = new ArrayList<>();
            try {
                output = copy(candidates.get().repair(run.measured(), run.topology()), violations);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                return EvaluationReport.failure(EvaluationStatus.RUNTIME_ERROR,
                        run.label() + " (" + run.fault().label() + "): repair threw " + CandidateFailures.describe(e),
                        List.of(), records);
            }
            if (violations.isEmpty()) {
                violations = violations(run, output);
            }
            if (!violations.isEmpty()) {
                return EvaluationReport.failure(EvaluationStatus.CONSTRAINT_VIOLATION,
                        run.label() + ": the repair is not valid: " + String.join("; ", violations), violations, records);
            }
            RepairScore score = RepairScore.of(run, output);
            scores.add(score);
            outputs.add(output);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("snapshot", run.label());
            record.put("fault", run.fault().label());
            record.put("combined", score.combined());
            record.put("counterRepair", score.counter());
            record.put("statusRepair", score.status());
            record.put("calibration", score.calibration());
            records.add(record);
        }
        double combined = 0.0;
        double counter = 0.0;
        double status = 0.0;
        double calibration = 0.0;
        // plain left-to-right sums, as CPython's sum() in the original
        for (RepairScore s : scores) {
            combined += s.combined();
            counter += s.counter();
            status += s.status();
            calibration += s.calibration();
        }
        int n = scores.size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("counterRepair", n == 0 ? 0.0 : counter / n);
        metrics.put("statusRepair", n == 0 ? 0.0 : status / n);
        metrics.put("calibration", n == 0 ? 0.0 : calibration / n);
        double score = n == 0 ? 0.0 : combined / n;
        return new EvaluationReport(EvaluationStatus.OK, score, metrics,
                feedback(split, runs, scores, outputs, score, metrics), List.of(), records);
    }

    /**
     * The candidate's answer read once into the evaluator's own map, entry types checked: the map may be
     * the candidate's own class, which could answer the check and the scoring differently.
     */
    private static Map<String, InterfaceRepair> copy(Map<?, ?> returned, List<String> problems) {
        if (returned == null) {
            return null;
        }
        Map<String, InterfaceRepair> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : returned.entrySet()) {
            Object value = entry.getValue();
            if (!(entry.getKey() instanceof String id)) {
                problems.add("the answer has the key " + entry.getKey() + ", not an interface id");
                return null;
            }
            if (value != null && !(value instanceof InterfaceRepair)) {
                problems.add(id + ": the answer is a " + value.getClass().getName() + ", not an InterfaceRepair");
                return null;
            }
            copy.put(id, (InterfaceRepair) value);
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<String> violations(TelemetryCase run, Map<String, InterfaceRepair> output) {
        List<String> problems = new ArrayList<>();
        if (output == null) {
            problems.add("repair returned null instead of a map");
            return problems;
        }
        List<String> missing = new ArrayList<>();
        for (String id : run.measured().keySet()) {
            if (!output.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " of " + run.measured().size() + " interfaces have no repair (e.g. "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + ")");
        }
        for (Map.Entry<String, InterfaceRepair> entry : output.entrySet()) {
            String id = entry.getKey();
            if (!run.measured().containsKey(id)) {
                problems.add("unknown interface " + id);
                continue;
            }
            InterfaceRepair repair = entry.getValue();
            if (repair == null || repair.rxRate() == null || repair.txRate() == null || repair.status() == null) {
                problems.add(id + ": the repair and its rxRate, txRate and status must not be null");
                continue;
            }
            checkCounter(problems, id + ".rxRate", repair.rxRate());
            checkCounter(problems, id + ".txRate", repair.txRate());
            if (repair.status().repaired() == null) {
                problems.add(id + ".status: repaired status is null");
            }
        }
        return problems.size() > 10 ? new ArrayList<>(problems.subList(0, 10)) : problems;
    }

    private static void checkCounter(List<String> problems, String where, CounterRepair counter) {
        if (!Double.isFinite(counter.repaired()) || counter.repaired() < 0) {
            problems.add(where + ": repaired rate " + counter.repaired() + " must be finite and >= 0");
        }
        if (!(counter.confidence() >= 0.0 && counter.confidence() <= 1.0)) {
            problems.add(where + ": confidence " + counter.confidence() + " must be in [0, 1]");
        }
    }

    private static String feedback(Split split, List<TelemetryCase> runs, List<RepairScore> scores,
                                   List<Map<String, InterfaceRepair>> outputs, double score, Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
                "%s: %d snapshots, combined %.5f (counterRepair %.5f, statusRepair %.5f, calibration %.5f).%n",
                split.label(), runs.size(), score, metrics.get("counterRepair"), metrics.get("statusRepair"),
                metrics.get("calibration")));
        Map<Fault, double[]> byFault = new EnumMap<>(Fault.class);
        for (int i = 0; i < runs.size(); i++) {
            double[] sum = byFault.computeIfAbsent(runs.get(i).fault(), f -> new double[2]);
            sum[0] += scores.get(i).counter();
            sum[1]++;
        }
        text.append("Mean counterRepair by fault type:");
        byFault.forEach((fault, sum) -> text.append(String.format(Locale.ROOT, " %s %.4f (%d),",
                fault.label(), sum[0] / sum[1], (int) sum[1])));
        text.setLength(text.length() - 1);
        text.append(String.format("%n"));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> scores.get(i).combined()));
        text.append("Worst snapshots:").append(String.format("%n"));
        for (int i : order.subList(0, Math.min(WORST_SHOWN, order.size()))) {
            TelemetryCase run = runs.get(i);
            text.append(String.format(Locale.ROOT, "- %s, fault %s: combined %.4f, counterRepair %.4f, calibration %.4f;"
                    + " worst counters:", run.label(), run.fault().label(), scores.get(i).combined(),
                    scores.get(i).counter(), scores.get(i).calibration()));
            text.append(worstCounters(run, outputs.get(i))).append(String.format("%n"));
        }
        text.append("The input never contains the ground truth (the original leaked it in correlated faults).");
        return text.toString();
    }

    /** The three counters furthest from the truth, with what was measured and what was answered. */
    private static String worstCounters(TelemetryCase run, Map<String, InterfaceRepair> output) {
        List<Miss> misses = new ArrayList<>();
        for (ReferenceInterface truth : run.truth()) {
            InterfaceRepair answer = output.get(truth.id());
            InterfaceCounters measured = run.measured().get(truth.id());
            misses.add(miss(truth.id() + " rx", measured.rxRate(), answer.rxRate(), truth.trueRx()));
            misses.add(miss(truth.id() + " tx", measured.txRate(), answer.txRate(), truth.trueTx()));
        }
        misses.sort(Comparator.comparingDouble(Miss::error).reversed());
        StringBuilder text = new StringBuilder();
        for (Miss m : misses.subList(0, Math.min(3, misses.size()))) {
            text.append(String.format(Locale.ROOT, " %s measured %.3f repaired %.3f true %.3f (confidence %.2f);",
                    m.where(), m.measured(), m.repaired(), m.truth(), m.confidence()));
        }
        return text.toString();
    }

    private record Miss(String where, double measured, double repaired, double truth, double confidence, double error) {
    }

    private static Miss miss(String where, double measured, CounterRepair answer, double truth) {
        double error = Math.abs(answer.repaired() - truth) / Math.max(Math.abs(truth), 1.0);
        return new Miss(where, measured, answer.repaired(), truth, answer.confidence(), error);
    }
}
