package io.galapagos.simulators.telemetry;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.TaskRegistry;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryRepairEvaluatorTest {

    private static final TelemetryRepairEvaluator SYNTHETIC = TelemetryRepairEvaluator.load(DataSource.synthetic());

    private static Map<String, InterfaceRepair> echo(Map<String, InterfaceCounters> measured) {
        Map<String, InterfaceRepair> out = new LinkedHashMap<>();
        measured.forEach((id, c) -> out.put(id, new InterfaceRepair(new CounterRepair(c.rxRate(), c.rxRate(), 1.0),
                new CounterRepair(c.txRate(), c.txRate(), 1.0), new StatusRepair(c.status(), c.status(), 1.0))));
        return out;
    }

    @Test
    void taskIsRegisteredWithItsBaselinesAndMetrics() {
        var task = TaskRegistry.load().require("telemetry-repair");
        assertThat(task.baselines()).extracting(b -> b.name()).containsExactly("initial", "identity", "hodor");
        assertThat(task.featureMetric()).isEqualTo("counterRepair");
        assertThat(task.candidateApi()).contains("interface TelemetryRepairer", "record InterfaceCounters",
                "record CounterRepair", "record StatusRepair", "record InterfaceRepair");
        assertThat(task.baselines()).allSatisfy(b -> assertThat(b.source())
                .contains("// EVOLVE-BLOCK-START", "// EVOLVE-BLOCK-END"));
    }

    @Test
    void syntheticWorkloadIsDeterministicPerSeedAndShapedLikeTheBackbone() {
        TelemetryRepairEvaluator again = TelemetryRepairEvaluator.load(DataSource.synthetic());
        TelemetryRepairEvaluator other = TelemetryRepairEvaluator.load(new DataSource.Synthetic(7));
        assertThat(again.cases(Split.TRAIN)).isEqualTo(SYNTHETIC.cases(Split.TRAIN));
        assertThat(again.cases(Split.TEST)).isEqualTo(SYNTHETIC.cases(Split.TEST));
        assertThat(other.cases(Split.TRAIN)).isNotEqualTo(SYNTHETIC.cases(Split.TRAIN));
        TelemetryCase first = SYNTHETIC.cases(Split.TRAIN).get(0);
        assertThat(first.topology()).hasSize(12);
        assertThat(first.measured()).hasSize(30);
        assertThat(first.measured().values()).allSatisfy(c -> assertThat(first.measured()).containsKey(c.connectedTo()));
        assertThat(SYNTHETIC.runCount(Split.SMOKE)).isEqualTo(2);
        assertThat(SYNTHETIC.runCount(Split.TRAIN)).isEqualTo(30);
        assertThat(SYNTHETIC.runCount(Split.TEST)).isEqualTo(30);
    }

    @Test
    void candidateExceptionIsARuntimeErrorNamingTheSnapshot() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            throw new IllegalStateException("no peers");
        }, Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("train snapshot 0").contains("IllegalStateException: no peers");
    }

    @Test
    void missingUnknownAndNonFiniteAnswersAreConstraintViolations() {
        EvaluationReport missing = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<String, InterfaceRepair> out = echo(measured);
            out.remove(measured.keySet().iterator().next());
            return out;
        }, Split.SMOKE);
        assertThat(missing.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(missing.violations()).anySatisfy(v -> assertThat(v).contains("1 of 30 interfaces have no repair"));

        EvaluationReport unknown = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<String, InterfaceRepair> out = echo(measured);
            out.put("X_to_Y", out.values().iterator().next());
            return out;
        }, Split.SMOKE);
        assertThat(unknown.violations()).containsExactly("unknown interface X_to_Y");

        EvaluationReport nan = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<String, InterfaceRepair> out = echo(measured);
            String id = measured.keySet().iterator().next();
            InterfaceRepair r = out.get(id);
            out.put(id, new InterfaceRepair(new CounterRepair(0, Double.NaN, 1.0), r.txRate(),
                    new StatusRepair("up", "up", 1.0)));
            out.replaceAll((k, v) -> k.equals(id) ? v : new InterfaceRepair(v.rxRate(),
                    new CounterRepair(0, 1.0, 1.5), v.status()));
            return out;
        }, Split.SMOKE);
        assertThat(nan.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(nan.feedback()).contains("rxRate: repaired rate NaN must be finite and >= 0")
                .contains("confidence 1.5 must be in [0, 1]");

        EvaluationReport nothing = SYNTHETIC.evaluate(() -> (measured, topology) -> null, Split.SMOKE);
        assertThat(nothing.violations()).containsExactly("repair returned null instead of a map");
    }

    @Test
    void candidateCannotAlterTheSnapshotItIsGiven() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            measured.clear();
            return Map.of();
        }, Split.SMOKE);
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("UnsupportedOperationException");
    }

    @Test
    void feedbackNamesTheWorstSnapshotsAndTheirWorstCounters() throws Exception {
        var identity = new CandidateCompiler().compile(
                new TelemetryRepairTask().baseline("identity").orElseThrow().source(), TelemetryRepairer.class);
        EvaluationReport report = SYNTHETIC.evaluate(identity, Split.TRAIN);
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.feedback()).contains("Worst snapshots:").contains("measured 0.000 repaired 0.000 true");
        assertThat(report.runs()).hasSize(30).allSatisfy(run -> assertThat(run)
                .containsKeys("snapshot", "fault", "combined", "counterRepair", "statusRepair", "calibration"));
        assertThat(report.metrics().keySet()).containsExactly("counterRepair", "statusRepair", "calibration");
    }

    @Test
    void hodorBaselineBeatsIdentityOnTheSyntheticHeldOutSplit() throws Exception {
        var task = new TelemetryRepairTask();
        CandidateCompiler compiler = new CandidateCompiler();
        double hodor = SYNTHETIC.evaluate(compiler.compile(task.baseline("hodor").orElseThrow().source(),
                TelemetryRepairer.class), Split.TEST).score();
        double identity = SYNTHETIC.evaluate(compiler.compile(task.baseline("identity").orElseThrow().source(),
                TelemetryRepairer.class), Split.TEST).score();
        assertThat(hodor).isGreaterThan(identity);
        assertThat(List.of(hodor, identity)).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
    }
}
