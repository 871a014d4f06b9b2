package io.galapagos.simulators.cloudcast;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan is read once, so the paths that are checked are the paths that are simulated. */
class CloudcastHostileCandidateTest {

    private static final Evaluator<BroadcastPlanner> EVALUATOR = new CloudcastTask().evaluator(DataSource.synthetic());

    /** Every partition straight from the source to each destination. */
    private static Map<String, List<List<String>>> direct(BroadcastRequest request, boolean twoFaced, CloudGraph graph) {
        Map<String, List<List<String>>> plan = new LinkedHashMap<>();
        for (String dst : request.destinations()) {
            List<List<String>> paths = new ArrayList<>();
            for (int p = 0; p < request.partitions(); p++) {
                List<String> straight = List.of(request.source(), dst);
                paths.add(twoFaced ? new TwoFacedPath(straight, detour(request, dst, graph)) : straight);
            }
            plan.put(dst, paths);
        }
        return plan;
    }

    /** The source, a region that is neither end, the destination: a valid path at a different cost. */
    private static List<String> detour(BroadcastRequest request, String dst, CloudGraph graph) {
        String via = graph.nodes().stream().filter(n -> !n.equals(request.source()) && !n.equals(dst))
                .filter(n -> !request.destinations().contains(n)).findFirst().orElseThrow();
        return List.of(request.source(), via, dst);
    }

    /** Iterates as one path, answers {@code get} and {@code size} as another. */
    private static final class TwoFacedPath extends AbstractList<String> {
        private final List<String> iterated;
        private final List<String> indexed;

        TwoFacedPath(List<String> iterated, List<String> indexed) {
            this.iterated = iterated;
            this.indexed = indexed;
        }

        @Override
        public Iterator<String> iterator() {
            return iterated.iterator();
        }

        @Override
        public String get(int index) {
            return indexed.get(index);
        }

        @Override
        public int size() {
            return indexed.size();
        }
    }

    @Test
    void aPathThatAnswersDifferentlyToIterationAndIndexingCostsWhatItIterates() {
        EvaluationReport straight = EVALUATOR.evaluate(() -> (request, graph) -> direct(request, false, graph), Split.TRAIN);
        EvaluationReport twoFaced = EVALUATOR.evaluate(() -> (request, graph) -> direct(request, true, graph), Split.TRAIN);

        assertThat(straight.status()).as(straight.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(twoFaced.status()).as(twoFaced.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(twoFaced.score()).isEqualTo(straight.score());
        assertThat(twoFaced.runs()).isEqualTo(straight.runs());
    }

    @Test
    void aPathHoldingSomethingOtherThanRegionNamesIsAConstraintViolation() {
        EvaluationReport report = EVALUATOR.evaluate(() -> (request, graph) -> {
            Map<String, List<List<String>>> plan = direct(request, false, graph);
            List<Object> odd = new ArrayList<>(List.of(request.source(), 7, request.destinations().get(0)));
            @SuppressWarnings("unchecked")
            List<String> disguised = (List<String>) (List<?>) odd;
            plan.get(request.destinations().get(0)).set(0, disguised);
            return plan;
        }, Split.SMOKE);

        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("has a path holding 7, not a region name");
    }
}
