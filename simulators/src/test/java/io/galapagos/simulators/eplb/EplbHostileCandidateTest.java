package io.galapagos.simulators.eplb;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A placer can neither change the loads it is scored on nor the placement after handing it over. */
class EplbHostileCandidateTest {

    /** One replica per expert, the remaining slots round-robin: independent of the load. */
    private static Placement roundRobin(long[][] load, ClusterShape shape) {
        int layers = load.length;
        int experts = load[0].length;
        int[][] slotExperts = new int[layers][shape.slots()];
        int[][] counts = new int[layers][experts];
        int[][][] expertSlots = new int[layers][experts][shape.slots() - experts + 1];
        for (int l = 0; l < layers; l++) {
            for (int e = 0; e < experts; e++) {
                Arrays.fill(expertSlots[l][e], -1);
            }
            for (int s = 0; s < shape.slots(); s++) {
                int e = s % experts;
                slotExperts[l][s] = e;
                expertSlots[l][e][counts[l][e]++] = s;
            }
        }
        return new Placement(slotExperts, expertSlots, counts);
    }

    @Test
    void zeroingTheLoadItIsGivenChangesNeitherItsScoreNorLaterEvaluations() {
        EplbEvaluator evaluator = EplbEvaluator.load(DataSource.synthetic());
        EvaluationReport before = evaluator.evaluate(() -> EplbHostileCandidateTest::roundRobin, Split.TEST);

        EvaluationReport zeroing = evaluator.evaluate(() -> (load, shape) -> {
            Placement placement = roundRobin(load, shape);
            for (long[] layer : load) {
                Arrays.fill(layer, 0);
            }
            return placement;
        }, Split.TEST);
        EvaluationReport after = evaluator.evaluate(() -> EplbHostileCandidateTest::roundRobin, Split.TEST);

        assertThat(zeroing.status()).isEqualTo(EvaluationStatus.OK);
        assertThat(zeroing.metrics().get("balancedness")).isEqualTo(before.metrics().get("balancedness"));
        assertThat(after.metrics().get("balancedness")).isEqualTo(before.metrics().get("balancedness"));
        assertThat(after.metrics().get("balancednessGpu")).isEqualTo(before.metrics().get("balancednessGpu"));
    }

    @Test
    void aPlacementSpoiledAfterItWasReturnedIsScoredAndReportedAsReturned() {
        EplbEvaluator evaluator = EplbEvaluator.load(DataSource.synthetic());
        EvaluationReport honest = evaluator.evaluate(() -> EplbHostileCandidateTest::roundRobin, Split.TEST);
        // the worst window must be one the spoiler gets to spoil, or this test proves nothing
        int last = evaluator.runCount(Split.TEST) - 1;
        assertThat(honest.feedback()).contains("Worst window: placement from window ")
                .doesNotContain("Worst window: placement from window " + last + " ");

        List<Placement> returned = new ArrayList<>();
        EvaluationReport spoiling = evaluator.evaluate(() -> (load, shape) -> {
            for (Placement earlier : returned) {
                for (int[][] layer : earlier.expertSlots()) {
                    for (int[] slots : layer) {
                        Arrays.fill(slots, -1_000_000);
                    }
                }
                for (int[] layer : earlier.replicaCounts()) {
                    Arrays.fill(layer, 1_000);
                }
            }
            Placement placement = roundRobin(load, shape);
            returned.add(placement);
            return placement;
        }, Split.TEST);

        assertThat(spoiling.status()).as(spoiling.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(spoiling.metrics().get("balancedness")).isEqualTo(honest.metrics().get("balancedness"));
        assertThat(hottestSlot(spoiling.feedback())).isEqualTo(hottestSlot(honest.feedback()));
    }

    private static String hottestSlot(String feedback) {
        return feedback.substring(feedback.indexOf("Worst window"));
    }
}
