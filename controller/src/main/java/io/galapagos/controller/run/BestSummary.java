package io.galapagos.controller.run;

import io.galapagos.protocol.CborSerializable;

import java.util.Optional;

/** The best program of an island or a run: its TRAIN score and, once measured, its held-out TEST score. */
public record BestSummary(String candidateId, String island, double score, Optional<Double> testScore)
        implements CborSerializable {
}
