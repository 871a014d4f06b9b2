package io.galapagos.deploy.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces of the import that need no data: JSON objects in Python sources, Python's JSON layout, origins. */
@Timeout(10)
class DerivationsTest {

    @Test
    void aWorkloadIsTheObjectAssignedToItsNameWhetherStringOrDictLiteral() {
        String source = """
                import json
                WORKLOAD_10 = '{"txn0":"w-1"}'
                WORKLOAD_1 = '{"txn0":"r-1 w-2", "txn1":"w-{3}"}'
                WORKLOAD_2 = {
                    "txn0": "r-5",
                }
                """;
        assertThat(Derivations.literal(source, "WORKLOAD_1")).contains("{\"txn0\":\"r-1 w-2\", \"txn1\":\"w-{3}\"}");
        assertThat(Derivations.literal(source, "WORKLOAD_2")).contains("{\n    \"txn0\": \"r-5\",\n}");
        assertThat(Derivations.literal(source, "WORKLOAD_3")).isEmpty();
    }

    @Test
    void jsonIsWrittenLikePythonsDumpsWithIndentOne() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", List.of("0.json", "10.json"));
        value.put("n", 80);
        value.put("e", List.of());
        value.put("s", "q\"\u00e9");
        assertThat(Derivations.pythonJson(value))
                .isEqualTo("{\n \"a\": [\n  \"0.json\",\n  \"10.json\"\n ],\n \"n\": 80,\n \"e\": [],\n \"s\": \"q\\\"\\u00e9\"\n}");
    }

    @Test
    void everyFileHasItsPlaceInThePublicRepository() {
        assertThat(AdrsManifest.origin("cant-be-late/traces/us-west-2a_k80_1/17.json")).isEqualTo(new Origin.Copy(List.of(
                "openevolve/examples/ADRS/cant-be-late-simulator/data/real/ddl=search+task=48+overhead=0.02/real/us-west-2a_k80_1/traces/random_start/17.json",
                "openevolve/examples/ADRS/cant-be-late/simulator/data/real/ddl=search+task=48+overhead=0.02/real/us-west-2a_k80_1/traces/random_start/17.json")));
        assertThat(AdrsManifest.origin("txn-scheduling/WORKLOAD_2.json"))
                .isEqualTo(new Origin.Literal("WORKLOAD_2", "openevolve/examples/ADRS/txn_scheduling/workloads.py"));
        assertThat(AdrsManifest.origin("cloudcast/golden_seed_paths.json")).isInstanceOf(Origin.Unpublished.class);
        assertThat(AdrsManifest.origin("somewhere/else.bin")).isInstanceOf(Origin.Unpublished.class);
        assertThat(AdrsManifest.shipped().entries()).hasSize(1297)
                .filteredOn(e -> e.origin() instanceof Origin.Unpublished).extracting(AdrsManifest.Entry::target)
                .containsExactlyInAnyOrder("cant-be-late-multi/golden_seed_runs.json",
                        "cant-be-late/golden_costs_initial_greedy.json", "cloudcast/golden_seed_paths.json",
                        "prism/golden_seed_per_case.json");
    }
}
