package io.galapagos.deploy.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.galapagos.controller.island.Objectives;
import io.galapagos.deploy.StatusFrontTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's run summary carries the Pareto front of a pareto run, and nothing of it otherwise. */
@Timeout(20)
class RunViewsFrontTest {

    @Test
    void theSummaryOfAParetoRunListsItsFront() {
        JsonNode summary = RunViews.summary("run", StatusFrontTest.history(Objectives.Mode.PARETO), "java", List.of(), 1);
        List<String> ids = new ArrayList<>();
        summary.path("front").path("points").forEach(p -> ids.add(p.path("candidate").asText()));
        assertThat(ids).containsExactly("run/0/1", "run/0/0");
        assertThat(summary.path("front").path("objectives").get(1).path("name").asText()).isEqualTo("deadlineMisses");
        assertThat(summary.path("front").path("points").get(0).path("objectives").path("avgCost").asDouble()).isEqualTo(20.0);
    }

    @Test
    void theSummaryOfAScoreRunHasNoFront() {
        assertThat(RunViews.summary("run", StatusFrontTest.history(Objectives.Mode.SCORE), "java", List.of(), 1)
                .has("front")).isFalse();
    }
}
