package io.galapagos.controller.generation;

import io.galapagos.simulators.Resources;

import java.util.List;
import java.util.Map;

/** Seed candidates of the Can't-Be-Late task and requests built from them. */
final class Fixtures {

    static final String TASK = "cant-be-late";

    private Fixtures() {
    }

    static String greedy() {
        return Resources.text(Fixtures.class, "greedy-safety.java.txt");
    }

    static String uniformProgress() {
        return Resources.text(Fixtures.class, "uniform-progress.java.txt");
    }

    static Program program(String id, String code) {
        return new Program(id, code, -106.7, Map.of("avg_cost", 96.5, "cost_std", 40.9),
                "Worst scenarios: us-west-2b_k80_1 d=48 dl=52 o=0.40: avg=$148.90");
    }

    static ProposalRequest request(String code, long seed) {
        return request(code, seed, List.of());
    }

    static ProposalRequest request(String code, long seed, List<Program> inspirations) {
        return new ProposalRequest(TASK, "run-1/0", 7, seed, program("c-parent", code), inspirations, List.of(),
                List.of());
    }
}
