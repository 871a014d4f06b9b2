package io.galapagos.simulators.telemetry;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The ground truth is out of a repairer's reach, and its answer is scored as it was checked. */
class TelemetryHostileCandidateTest {

    private static final TelemetryRepairEvaluator SYNTHETIC = TelemetryRepairEvaluator.load(DataSource.synthetic());

    private static Map<String, InterfaceRepair> echo(Map<String, InterfaceCounters> measured) {
        Map<String, InterfaceRepair> out = new LinkedHashMap<>();
        measured.forEach((id, c) -> out.put(id, new InterfaceRepair(new CounterRepair(c.rxRate(), c.rxRate(), 0.9),
                new CounterRepair(c.txRate(), c.txRate(), 0.9), new StatusRepair(c.status(), c.status(), 0.9))));
        return out;
    }

    @Test
    void aRepairerIsGivenPlatformCollectionsOfMeasuredValuesOnly() {
        List<Object> inputs = new ArrayList<>();
        EvaluationReport report = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            inputs.add(measured);
            inputs.add(topology);
            return echo(measured);
        }, Split.TRAIN);

        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        for (Object input : inputs) {
            // a JDK collection holds what was put in it and nothing else: no snapshot, no case, no truth
            assertThat(input.getClass().getName()).startsWith("java.util.");
        }
        for (int i = 0; i < inputs.size(); i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> measured = (Map<String, Object>) inputs.get(i);
            assertThat(measured.values()).allMatch(v -> v.getClass() == InterfaceCounters.class);
            @SuppressWarnings("unchecked")
            Map<String, List<Object>> topology = (Map<String, List<Object>>) inputs.get(i + 1);
            assertThat(topology.values()).allMatch(ids -> ids.getClass().getName().startsWith("java.util.")
                    && ids.stream().allMatch(id -> id instanceof String));
        }
        // the counters a repairer sees are plain values: strings and the measured rates
        for (RecordComponent component : InterfaceCounters.class.getRecordComponents()) {
            assertThat(component.getType()).isIn(String.class, double.class);
        }
    }

    @Test
    void theCorruptedCountersDifferFromTheTruthTheRepairerNeverSees() {
        // were the truth in the input, echoing it would score a perfect counter repair
        EvaluationReport echoing = SYNTHETIC.evaluate(() -> (measured, topology) -> echo(measured), Split.TRAIN);

        assertThat(echoing.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(echoing.metrics().get("counterRepair")).isLessThan(1.0);
    }

    @Test
    void aMapThatAnswersLookupsDifferentlyIsScoredOnTheEntriesItListed() {
        EvaluationReport honest = SYNTHETIC.evaluate(() -> (measured, topology) -> echo(measured), Split.TRAIN);
        EvaluationReport twoFaced = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<String, InterfaceRepair> listed = echo(measured);
            return new AbstractMap<String, InterfaceRepair>() {
                @Override
                public Set<Entry<String, InterfaceRepair>> entrySet() {
                    return listed.entrySet();
                }

                @Override
                public InterfaceRepair get(Object key) {
                    // what a lookup gets was never checked: a non-finite rate and an impossible confidence
                    CounterRepair unchecked = new CounterRepair(0, Double.NaN, 7.0);
                    return new InterfaceRepair(unchecked, unchecked, new StatusRepair("up", "up", 1.0));
                }
            };
        }, Split.TRAIN);

        assertThat(twoFaced.status()).as(twoFaced.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(twoFaced.score()).isEqualTo(honest.score());
        assertThat(twoFaced.metrics()).isEqualTo(honest.metrics());
    }

    @Test
    void infiniteOrNanAnswersAreConstraintViolationsNotScores() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            EvaluationReport report = SYNTHETIC.evaluate(() -> (measured, topology) -> {
                Map<String, InterfaceRepair> out = echo(measured);
                out.replaceAll((id, r) -> new InterfaceRepair(r.rxRate(), new CounterRepair(0, bad, 0.5), r.status()));
                return out;
            }, Split.SMOKE);

            assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
            assertThat(report.score()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(report.feedback()).contains("txRate: repaired rate " + bad + " must be finite and >= 0");
        }
        EvaluationReport nanConfidence = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<String, InterfaceRepair> out = echo(measured);
            out.replaceAll((id, r) -> new InterfaceRepair(new CounterRepair(0, 1.0, Double.NaN), r.txRate(), r.status()));
            return out;
        }, Split.SMOKE);
        assertThat(nanConfidence.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(nanConfidence.feedback()).contains("rxRate: confidence NaN must be in [0, 1]");
    }

    @Test
    void answerKeysOfTheWrongTypeAreConstraintViolations() {
        EvaluationReport report = SYNTHETIC.evaluate(() -> (measured, topology) -> {
            Map<Object, Object> out = new LinkedHashMap<>(echo(measured));
            out.put(42, "not a repair");
            @SuppressWarnings("unchecked")
            Map<String, InterfaceRepair> disguised = (Map<String, InterfaceRepair>) (Map<?, ?>) out;
            return disguised;
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("the answer has the key 42, not an interface id");
    }
}
