package io.galapagos.controller.island;

import io.galapagos.controller.generation.Program;
import io.galapagos.protocol.CborSerializable;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An evaluated program that lives in an island's population (also a migrant on its way).
 *
 * @param island    the island where it was proposed and evaluated
 * @param testScore its score on the held-out TEST split, when it was an island best
 */
public record Individual(String candidateId, String code, double score, Map<String, Double> metrics, String feedback,
                        String island, Optional<String> parentId, Optional<Double> testScore) implements CborSerializable {

    public Individual {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public Program asProgram() {
        return new Program(candidateId, code, score, metrics, feedback);
    }

    Individual withScore(double newScore) {
        return new Individual(candidateId, code, newScore, metrics, feedback, island, parentId, testScore);
    }

    Individual withTestScore(double test) {
        return new Individual(candidateId, code, score, metrics, feedback, island, parentId, Optional.of(test));
    }
}
