package io.galapagos.controller.generation;

import io.galapagos.protocol.CborSerializable;

import java.util.Objects;

/** A recent proposal or candidate that failed, with the reason shown to the next prompt. */
public record FailedAttempt(String candidateId, String reason) implements CborSerializable {

    public FailedAttempt {
        Objects.requireNonNull(candidateId, "candidateId");
        Objects.requireNonNull(reason, "reason");
    }
}
