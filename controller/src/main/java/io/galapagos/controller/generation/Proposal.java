package io.galapagos.controller.generation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.galapagos.protocol.CborSerializable;

import java.util.Objects;

/** What a generator answers: a child program, or a failure whose reason feeds the next prompt. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Proposal.Code.class, name = "code"),
        @JsonSubTypes.Type(value = Proposal.Failed.class, name = "failed")
})
public sealed interface Proposal extends CborSerializable {

    /** Tokens and dollars spent on this proposal, also when it failed. */
    Usage usage();

    /** Who proposed: {@code offline} or the model name. */
    String generator();

    /**
     * A complete child program whose EVOLVE-BLOCK differs from the parent's.
     *
     * @param summary one line: what changed (mutation or the model's own words)
     */
    record Code(String code, String generator, String summary, Usage usage) implements Proposal {
        public Code {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * No usable child; {@code reason} says precisely why (which block, which call, which limit).
     *
     * @param callFailed the model was never asked or never answered (endpoint down, budget, paused): not
     *                   the answer's fault, so it neither feeds the next prompt nor counts towards giving up
     */
    record Failed(String reason, String generator, Usage usage, boolean callFailed) implements Proposal {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(usage, "usage");
        }

        /** An answer that gave no usable child. */
        public Failed(String reason, String generator, Usage usage) {
            this(reason, generator, usage, false);
        }

        /** A call that was not made or did not come back. */
        public static Failed call(String reason, String generator, Usage usage) {
            return new Failed(reason, generator, usage, true);
        }
    }
}
