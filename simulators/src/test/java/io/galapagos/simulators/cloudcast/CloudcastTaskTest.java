package io.galapagos.simulators.cloudcast;

import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Evaluator;
import io.galapagos.simulators.Split;
import io.galapagos.simulators.TaskRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

// integration lane: slow, simulates every workload
@Tag("integration")
class CloudcastTaskTest {

    private static final Evaluator<BroadcastPlanner> EVALUATOR = new CloudcastTask().evaluator(DataSource.synthetic());

    /** A candidate whose {@code plan} body is {@code body}, where {@code seed} holds the seed's plan (mutable lists). */
    private static EvaluationReport evaluate(String body) {
        String seed = new CloudcastTask().initialProgram().source();
        String source = """
                import io.galapagos.simulators.cloudcast.*;
                import java.util.*;
                public class Probe implements BroadcastPlanner {
                    public Map<String, List<List<String>>> plan(BroadcastRequest request, CloudGraph graph) {
                        Map<String, List<List<String>>> seed = new LinkedHashMap<>();
                        new CheapestPathBroadcast().plan(request, graph).forEach((d, ps) -> {
                            List<List<String>> copy = new ArrayList<>();
                            ps.forEach(p -> copy.add(new ArrayList<>(p)));
                            seed.put(d, copy);
                        });
                        %s
                    }
                }
                """.formatted(body) + seed.substring(seed.indexOf("class CheapestPathBroadcast"));
        return EVALUATOR.evaluate(Candidates.compile(source, BroadcastPlanner.class), Split.TRAIN);
    }

    @Test
    void taskIsRegisteredWithItsSeed() {
        assertThat(TaskRegistry.load().find("cloudcast")).isPresent();
        CloudcastTask task = new CloudcastTask();
        assertThat(task.initialProgram().source()).contains("// EVOLVE-BLOCK-START").contains("// EVOLVE-BLOCK-END");
        assertThat(task.candidateApi()).contains("interface BroadcastPlanner").contains("record Link");
        assertThat(task.featureMetric()).isEqualTo("totalCost");
    }

    @Test
    void seedRunsOnEverySyntheticSplit() {
        for (Split split : Split.values()) {
            EvaluationReport report = EVALUATOR.evaluate(Candidates.baseline(new CloudcastTask(), "initial"), split);
            assertThat(report.status()).as(report.feedback()).isEqualTo(EvaluationStatus.OK);
            assertThat(report.runs()).hasSize(EVALUATOR.runCount(split));
            assertThat(report.score()).isEqualTo(1 / (1 + report.metrics().get("totalCost")));
        }
        assertThat(EVALUATOR.runCount(Split.SMOKE)).isEqualTo(1);
        assertThat(EVALUATOR.runCount(Split.TRAIN)).isEqualTo(5);
        assertThat(EVALUATOR.runCount(Split.TEST)).isEqualTo(5);
    }

    @Test
    void probeWithTheSeedsPlanScoresLikeTheSeed() {
        EvaluationReport seed = EVALUATOR.evaluate(Candidates.baseline(new CloudcastTask(), "initial"), Split.TRAIN);
        assertThat(evaluate("return seed;").score()).isEqualTo(seed.score());
    }

    @Test
    void pathWithAMissingLinkIsAConstraintViolation() {
        EvaluationReport report = evaluate("""
                String dst = request.destinations().get(0);
                seed.get(dst).set(3, List.of(request.source(), "aws:nowhere", dst));
                return seed;""");
        assertThat(report.status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
        assertThat(report.feedback()).contains("broadcast intra_aws: destination").contains("partition 3")
                .contains("there is no link").contains("(unknown region aws:nowhere)");
    }

    @Test
    void missingPartitionAndMissingDestinationAreConstraintViolations() {
        assertThat(evaluate("seed.get(request.destinations().get(1)).remove(9); return seed;").feedback())
                .contains("has 9 paths; it needs one per partition (10)");
        assertThat(evaluate("seed.remove(request.destinations().get(2)); return seed;").feedback())
                .contains("has no paths");
        assertThat(evaluate("return null;").status()).isEqualTo(EvaluationStatus.CONSTRAINT_VIOLATION);
    }

    @Test
    void pathsMustRunFromTheSourceToTheDestinationWithoutRepeats() {
        assertThat(evaluate("String d = request.destinations().get(0); seed.get(d).set(0, List.of(d)); return seed;").feedback())
                .contains("at least the source and the destination");
        assertThat(evaluate("""
                String d = request.destinations().get(0);
                String other = request.destinations().get(1);
                seed.get(d).set(0, List.of(request.source(), other));
                return seed;""").feedback()).contains("not at the destination");
        assertThat(evaluate("""
                String d = request.destinations().get(0);
                seed.get(d).set(0, List.of(request.source(), d, request.source(), d));
                return seed;""").feedback()).contains("appears twice");
        assertThat(evaluate("seed.put(\"gcp:elsewhere\", seed.values().iterator().next()); return seed;").feedback())
                .contains("'gcp:elsewhere' is not a destination");
    }

    @Test
    void exceptionIsARuntimeErrorNamingTheBroadcast() {
        EvaluationReport report = evaluate("if (request.name().equals(\"inter_agz\")) throw new IllegalStateException(\"no route\"); return seed;");
        assertThat(report.status()).isEqualTo(EvaluationStatus.RUNTIME_ERROR);
        assertThat(report.feedback()).contains("broadcast inter_agz").contains("no route");
        assertThat(report.runs()).hasSize(3);
    }

    @Test
    void feedbackRanksBroadcastsByCostAndNamesTheCostliestLinks() {
        EvaluationReport report = EVALUATOR.evaluate(Candidates.baseline(new CloudcastTask(), "initial"), Split.TRAIN);
        assertThat(report.feedback()).contains("most expensive first").contains("costliest links").contains("slowest destination");
    }

    @Test
    void syntheticNetworkIsDeterministicAndInterProviderTrafficCostsMore() {
        CloudGraph a = CloudcastGenerator.graph(3);
        CloudGraph b = CloudcastGenerator.graph(3);
        assertThat(a.nodes()).isEqualTo(b.nodes());
        for (String node : a.nodes()) {
            assertThat(a.links(node)).isEqualTo(b.links(node));
        }
        assertThat(CloudcastGenerator.graph(4).links(a.nodes().get(0))).isNotEqualTo(a.links(a.nodes().get(0)));
        assertThat(a.linkCount()).isEqualTo(27 * 26);
        double intra = a.nodes().stream().flatMap(n -> a.links(n).stream())
                .filter(l -> CloudGraph.provider(l.from()).equals(CloudGraph.provider(l.to())))
                .mapToDouble(Link::costPerGb).max().orElseThrow();
        double inter = a.nodes().stream().flatMap(n -> a.links(n).stream())
                .filter(l -> !CloudGraph.provider(l.from()).equals(CloudGraph.provider(l.to())))
                .mapToDouble(Link::costPerGb).min().orElseThrow();
        assertThat(intra).isLessThanOrEqualTo(inter);
        assertThat(CloudcastGenerator.requests(a, 9, "")).isEqualTo(CloudcastGenerator.requests(b, 9, ""));
        List<BroadcastRequest> requests = CloudcastGenerator.requests(a, 9, "");
        assertThat(requests).extracting(BroadcastRequest::name)
                .containsExactly("intra_aws", "intra_azure", "intra_gcp", "inter_agz", "inter_gaz2");
        assertThat(requests.get(4).destinations()).hasSize(7).doesNotContain(requests.get(4).source());
    }
}
