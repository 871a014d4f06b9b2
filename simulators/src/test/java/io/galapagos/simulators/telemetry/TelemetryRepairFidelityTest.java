package io.galapagos.simulators.telemetry;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.PythonRandom;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.compile.CandidateCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The golden table of telemetry-repair.md T8, measured on the original evaluator. */
class TelemetryRepairFidelityTest {

    private static final TelemetryRepairTask TASK = new TelemetryRepairTask();
    private static TelemetryRepairEvaluator evaluator;

    @BeforeAll
    static void loadPublishedSnapshots() {
        evaluator = TelemetryRepairEvaluator.load(AdrsData.source());
    }

    private static EvaluationReport train(String source) throws Exception {
        return evaluator.evaluate(new CandidateCompiler().compile(source, TelemetryRepairer.class), Split.TRAIN);
    }

    @Test
    void initialProgramScoresTheBugFreeDoNothingSeedGolden() throws Exception {
        EvaluationReport report = train(TASK.initialProgram().source());
        assertThat(report.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.score()).isEqualTo(0.05112111111111114);
        assertThat(report.metrics()).containsEntry("counterRepair", 0.0).containsEntry("statusRepair", 1.0)
                .containsEntry("calibration", 0.005605555555555556);
        assertThat(report.runs()).hasSize(30);
    }

    @Test
    void identityBaselineScoresTheGoldenIdentityPolicy() throws Exception {
        EvaluationReport report = train(TASK.baseline("identity").orElseThrow().source());
        assertThat(report.score()).isEqualTo(0.8381069161068669);
        assertThat(report.metrics()).containsEntry("counterRepair", 0.830966308255748)
                .containsEntry("statusRepair", 1.0).containsEntry("calibration", 0.8244109245752795);
    }

    @Test
    void peerTwoPercentPolicyScoresItsGolden() throws Exception {
        String peer2pct = """
                import io.galapagos.simulators.telemetry.*;
                import java.util.*;
                public class PeerTwoPercent implements TelemetryRepairer {
                    public Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured,
                                                               Map<String, List<String>> topology) {
                        Map<String, InterfaceRepair> out = new LinkedHashMap<>();
                        for (Map.Entry<String, InterfaceCounters> e : measured.entrySet()) {
                            InterfaceCounters c = e.getValue();
                            InterfaceCounters peer = measured.get(c.connectedTo());
                            out.put(e.getKey(), new InterfaceRepair(
                                    counter(c.rxRate(), peer == null ? null : peer.txRate()),
                                    counter(c.txRate(), peer == null ? null : peer.rxRate()),
                                    new StatusRepair(c.status(), c.status(), 1.0)));
                        }
                        return out;
                    }
                    private static CounterRepair counter(double own, Double peer) {
                        if (peer != null && Math.abs(own - peer) > 0.02 * Math.max(Math.abs(own), Math.abs(peer))) {
                            return new CounterRepair(own, peer, 0.6);
                        }
                        return new CounterRepair(own, own, 0.95);
                    }
                }
                """;
        EvaluationReport report = train(peer2pct);
        assertThat(report.score()).isEqualTo(0.8259557239573353);
        assertThat(report.metrics()).containsEntry("counterRepair", 0.8261604555134079)
                .containsEntry("calibration", 0.781676911611397);
    }

    @Test
    void publishedSeedWithItsLoopBugIsRefusedForTheInterfacesItOmits() throws Exception {
        String buggySeed = """
                import io.galapagos.simulators.telemetry.*;
                import java.util.*;
                public class LastOfEachRouter implements TelemetryRepairer {
                    public Map<String, InterfaceRepair> repair(Map<String, InterfaceCounters> measured,
                                                               Map<String, List<String>> topology) {
                        Map<String, InterfaceRepair> out = new LinkedHashMap<>();
                        for (List<String> ids : topology.values()) {
                            String last = ids.get(ids.size() - 1);
                            out.put(last, new InterfaceRepair(new CounterRepair(0, 0, 1.0), new CounterRepair(0, 0, 1.0),
                                    new StatusRepair("up", "up", 1.0)));
                        }
                        return out;
                    }
                }
                """;
        EvaluationReport report = train(buggySeed);
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("row 7").contains("18 of 30 interfaces have no repair");
    }

    @Test
    void corruptionDrawsTheOriginalsFaultsAndWordCountsRowByRow() {
        List<NetworkSnapshot> rows = PublishedTelemetry.load(AdrsData.task(TelemetryRepairTask.ID));
        assertThat(rows).hasSize(40);
        assertThat(rows.get(0).interfaces()).hasSize(30);
        assertThat(rows.get(0).topology()).hasSize(12).containsKey("ATLAM5");
        assertThat(rows.get(0).topology().get("ATLAng"))
                .containsExactly("ATLAng_to_ATLAM5", "ATLAng_to_HSTNng", "ATLAng_to_IPLSng", "ATLAng_to_WASHng");
        PythonRandom rng = PythonRandom.seeded(42);
        List<NetworkSnapshot> chosen = rng.sample(rows, 30);
        assertThat(rng.wordsDrawn()).isEqualTo(44);
        List<Long> words = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        for (NetworkSnapshot snapshot : chosen) {
            long before = rng.wordsDrawn();
            faults.add(Corruption.corrupt(snapshot, rng).fault().label());
            words.add(rng.wordsDrawn() - before);
        }
        assertThat(words).containsExactly(145L, 167L, 145L, 208L, 145L, 205L, 288L, 207L, 206L, 145L, 148L, 145L,
                147L, 145L, 146L, 205L, 211L, 145L, 254L, 255L, 146L, 146L, 145L, 145L, 208L, 205L, 296L, 145L,
                260L, 208L);
        assertThat(String.join(",", faults)).isEqualTo("correlated_dropped,correlated_scaled,correlated_scaled,"
                + "dropped,correlated_dropped,dropped,scaled,dropped,dropped,correlated_dropped,correlated_dropped,"
                + "correlated_dropped,correlated_dropped,correlated_dropped,correlated_dropped,dropped,dropped,"
                + "correlated_dropped,scaled,scaled,correlated_dropped,correlated_dropped,correlated_dropped,"
                + "correlated_dropped,dropped,dropped,scaled,correlated_dropped,correlated_scaled,dropped");
    }

    @Test
    void heldOutTestSplitUsesOnlyTheTenRowsTrainNeverSamples() {
        List<String> trainRows = evaluator.cases(Split.TRAIN).stream().map(TelemetryCase::label).toList();
        List<String> testRows = evaluator.cases(Split.TEST).stream().map(TelemetryCase::label).distinct().toList();
        assertThat(testRows).hasSize(10).doesNotContainAnyElementsOf(trainRows);
        assertThat(evaluator.runCount(Split.TEST)).isEqualTo(30);
        assertThat(evaluator.runCount(Split.SMOKE)).isEqualTo(2);
    }

    @Test
    void hodorBaselineBeatsTrustingTheMeasurements() throws Exception {
        EvaluationReport hodor = train(TASK.baseline("hodor").orElseThrow().source());
        EvaluationReport identity = train(TASK.baseline("identity").orElseThrow().source());
        assertThat(hodor.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(hodor.metrics().get("counterRepair")).isGreaterThan(identity.metrics().get("counterRepair"));
        assertThat(hodor.score()).isGreaterThan(identity.score());
    }
}
