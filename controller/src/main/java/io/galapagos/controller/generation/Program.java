package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.Map;
import java.util.Objects;

/** An evaluated program as a generator sees it: its code, score, metrics and evaluator feedback. */
public record Program(String candidateId, String code, double score, Map<String, Double> metrics, String feedback)
        implements CborSerializable {

    public Program {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(code, "code");
        metrics = Map.copyOf(metrics);
        feedback = feedback == null ? "" : feedback;
    }
}
