package io.galapagos.simulators.cloudcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden numbers of ../shared/tasks/cloudcast.md §8, measured on the original evaluator. */
class CloudcastFidelityTest {

    private static CloudcastEvaluator evaluator;
    private static EvaluationReport seed;

    @BeforeAll
    static void evaluateSeed() {
        evaluator = (CloudcastEvaluator) new CloudcastTask().evaluator(AdrsData.source());
        seed = evaluator.evaluate(Candidates.baseline(new CloudcastTask(), "initial"), Split.TRAIN);
    }

    @Test
    void publishedGraphHas71RegionsAndEveryDirectedLink() {
        CloudGraph graph = evaluator.broadcasts().graph();
        assertThat(graph.nodes()).hasSize(71);
        assertThat(graph.linkCount()).isEqualTo(4970);
        assertThat(graph.nodes().stream().filter(n -> n.startsWith("aws:")).count()).isEqualTo(25);
    }

    @Test
    void seedCostsOfTheFiveConfigurationsAreTheGoldenOnes() {
        assertThat(seed.status()).as(seed.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(seed.runs()).extracting(r -> r.get("broadcast"))
                .containsExactly("intra_aws", "intra_azure", "intra_gcp", "inter_agz", "inter_gaz2");
        double[] golden = {165.024, 144.945, 161.468568, 268.851417, 305.57142};
        double[] seconds = {1440.0000000000002, 450.0, 1028.5714285714287, 685.7142857142857, 857.1428571428571};
        int[] regions = {7, 7, 8, 9, 10};
        for (int i = 0; i < golden.length; i++) {
            Map<String, Object> run = seed.runs().get(i);
            assertThat((Double) run.get("cost")).as("cost of %s", run.get("broadcast")).isCloseTo(golden[i], org.assertj.core.api.Assertions.within(1e-9 * golden[i]));
            assertThat((Double) run.get("transferSeconds")).as("time of %s", run.get("broadcast")).isEqualTo(seconds[i]);
            assertThat(run.get("overlayRegions")).isEqualTo(regions[i]);
        }
    }

    @Test
    void seedTotalAndScoreAreTheGoldenOnes() {
        assertThat(seed.metrics().get("totalCost")).isCloseTo(1045.860405, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(String.format("%.2f", seed.metrics().get("totalCost"))).isEqualTo("1045.86");
        assertThat(seed.score()).isCloseTo(0.0009552371980292827, org.assertj.core.api.Assertions.within(1e-18));
        assertThat(seed.metrics().get("totalTransferSeconds")).isEqualTo(4461.428571428572);
    }

    @Test
    void seedTakesEveryGoldenPathIncludingItsTieBreaking() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(AdrsData.file("cloudcast", "golden_seed_paths.json").toFile()).get("paths");
        BroadcastPlanner planner = Candidates.baseline(new CloudcastTask(), "initial").get();
        int checked = 0;
        for (BroadcastRequest request : evaluator.broadcasts().requests().get(Split.TRAIN)) {
            Map<String, List<List<String>>> plan = planner.plan(request, evaluator.broadcasts().graph());
            JsonNode expected = golden.get(request.name());
            assertThat(expected).as("golden paths of %s", request.name()).isNotNull();
            List<String> expectedDestinations = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedDestinations::add);
            assertThat(request.destinations()).containsExactlyElementsOf(expectedDestinations);
            for (String dst : request.destinations()) {
                List<String> path = new ArrayList<>();
                expected.get(dst).forEach(n -> path.add(n.asText()));
                assertThat(plan.get(dst)).as("%s -> %s", request.name(), dst).hasSize(10).allSatisfy(p -> assertThat(p).isEqualTo(path));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(31);
    }

    @Test
    void pandasParserAccumulatesSeventeenDigitsThenScalesOnce() {
        java.nio.file.Path here = java.nio.file.Path.of("test");
        assertThat(CloudcastData.pandasDouble("4967291935.167428", here)).isEqualTo(4967291935167428.0 / 1e6);
        assertThat(CloudcastData.pandasDouble("0.12345678901234567891", here)).isEqualTo(1234567890123456.0 / 1e16);
        assertThat(CloudcastData.pandasDouble("0.09", here)).isEqualTo(0.09);
    }

    @Test
    void pandasParserDiffersFromCorrectRoundingOnThe408PublishedThroughputsTheSpecNames() throws IOException {
        java.nio.file.Path file = AdrsData.task("cloudcast").resolve("profiles").resolve("throughput.csv");
        List<String> lines = java.nio.file.Files.readAllLines(file);
        int column = java.util.Arrays.asList(lines.get(0).split(",")).indexOf("throughput_sent");
        long differing = lines.stream().skip(1).map(l -> l.split(",")[column])
                .filter(v -> CloudcastData.pandasDouble(v, file) != Double.parseDouble(v)).count();
        assertThat(differing).isEqualTo(408);
    }
}
