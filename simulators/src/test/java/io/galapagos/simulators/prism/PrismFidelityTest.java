package io.galapagos.simulators.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.galapagos.protocol.EvaluationStatus;
import io.galapagos.simulators.AdrsData;
import io.galapagos.simulators.Candidates;
import io.galapagos.simulators.DataSource;
import io.galapagos.simulators.EvaluationReport;
import io.galapagos.simulators.Split;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden numbers of ../shared/tasks/prism.md §6, measured on the original evaluator. */
class PrismFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generatorWithSeed42RegeneratesThePublishedCasesExactly() throws IOException {
        JsonNode published = JSON.readTree(AdrsData.task("prism").resolve("test_cases_seed42.json").toFile()).get("test_cases");
        ArrayNode generated = JSON.createArrayNode();
        for (PlacementCase c : PlacementCases.generate(42, 50)) {
            ObjectNode node = generated.addObject();
            node.put("gpu_num", c.gpuCount());
            ArrayNode models = node.putArray("models");
            for (Model m : c.models()) {
                models.addObject().put("model_name", m.name()).put("model_size", m.sizeGb()).put("req_rate", m.requestRate())
                        .put("slo", m.slo()).put("cur_gpu_id", m.currentGpu());
            }
        }
        assertThat(generated).isEqualTo(published);
        assertThat(PlacementCases.load(AdrsData.source()).get(Split.TRAIN)).isEqualTo(PlacementCases.generate(42, 50));
        assertThat(generated.findValues("model_name")).hasSize(706);
    }

    @Test
    void greedySeedScoresTheGoldenNumberOnThePublishedCases() {
        EvaluationReport report = new PrismTask().evaluator(AdrsData.source())
                .evaluate(Candidates.baseline(new PrismTask(), "initial"), Split.TRAIN);
        assertThat(report.status()).as(report.feedback()).isEqualTo(EvaluationStatus.OK);
        assertThat(report.score()).isEqualTo(21.891622105209393);
        assertThat(1.0 / report.metrics().get("avgMaxKvpr")).isEqualTo(20.891622105209393);
        assertThat(report.metrics()).containsEntry("successRate", 1.0);
    }

    @Test
    void greedySeedMatchesEveryGoldenPerCasePressure() throws IOException {
        JsonNode golden = JSON.readTree(AdrsData.file("prism", "golden_seed_per_case.json").toFile()).get("per_case_max_kvpr");
        EvaluationReport report = new PrismTask().evaluator(AdrsData.source())
                .evaluate(Candidates.baseline(new PrismTask(), "initial"), Split.TRAIN);
        List<Double> perCase = report.runs().stream().map(r -> (Double) r.get("maxKvpr")).toList();
        assertThat(perCase).hasSize(golden.size());
        for (int i = 0; i < golden.size(); i++) {
            assertThat(perCase.get(i)).as("case %d", i).isEqualTo(golden.get(i).doubleValue());
        }
    }

    @Test
    void syntheticDefaultNeedsNoDataAndScoresTheSameAsThePublishedFile() {
        EvaluationReport report = new PrismTask().evaluator(DataSource.synthetic())
                .evaluate(Candidates.baseline(new PrismTask(), "initial"), Split.TRAIN);
        assertThat(report.score()).isEqualTo(21.891622105209393);
    }
}
