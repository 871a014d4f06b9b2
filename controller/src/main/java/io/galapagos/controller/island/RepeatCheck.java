package io.galapagos.controller.island;

import io.galapagos.controller.generation.Program;
import io.galapagos.controller.generation.ProposalRequest;
import io.galapagos.controller.generation.SourceLanguage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a proposal repeats a program the island already has. Against the programs shown with the
 * proposal (its parent, inspirations and top programs, migrants included), which were fixed when the
 * proposal was chosen, so the answer does not depend on timing: the same program up to layout and
 * comments, or a {@link CodeSimilarity} of at least the island's near-duplicate threshold. The island
 * checks its own earlier candidates by fingerprint ({@link Island.Sequencing#duplicateOf}).
 */
final class RepeatCheck {

    private RepeatCheck() {
    }

    /** The shown program {@code code} repeats, exactly first, else the most similar at or above {@code threshold}. */
    static Optional<Island.Repeat> shown(String code, long fingerprint, ProposalRequest request,
                                        SourceLanguage language, double threshold) {
        List<Program> programs = shownPrograms(request);
        for (Program program : programs) {
            if (CodeFingerprint.of(program.code(), language) == fingerprint) {
                return Optional.of(new Island.Repeat(program.candidateId(), true, 1.0, Optional.of(program.score())));
            }
        }
        if (threshold >= 1.0) {
            return Optional.empty();
        }
        CodeSimilarity.Shingles proposed = CodeSimilarity.shingles(code, language);
        Optional<Island.Repeat> closest = Optional.empty();
        for (Program program : programs) {
            double similarity = CodeSimilarity.of(proposed, CodeSimilarity.shingles(program.code(), language));
            if (similarity >= threshold && closest.map(c -> similarity > c.similarity()).orElse(true)) {
                closest = Optional.of(new Island.Repeat(program.candidateId(), false, similarity,
                        Optional.of(program.score())));
            }
        }
        return closest;
    }

    /** An exact repeat of {@code candidateId}, with its score when it was shown with the proposal. */
    static Island.Repeat exact(String candidateId, ProposalRequest request) {
        Optional<Double> score = shownPrograms(request).stream().filter(p -> p.candidateId().equals(candidateId))
                .findFirst().map(Program::score);
        return new Island.Repeat(candidateId, true, 1.0, score);
    }

    /** The failed proposal's reason, as the next prompt shows it. */
    static String reason(Island.Repeat repeat) {
        String score = repeat.earlierScore().map(s -> ", which scored " + format(s)).orElse("");
        if (repeat.exact()) {
            return Island.DUPLICATE + repeat.candidateId() + " (the same program up to layout and comments" + score
                    + "); it was not evaluated again";
        }
        return Island.NEAR_DUPLICATE + repeat.candidateId() + " (similarity " + format(repeat.similarity()) + score
                + "); it was not evaluated: change the program's behaviour, not a few tokens";
    }

    private static List<Program> shownPrograms(ProposalRequest request) {
        Map<String, Program> byId = new LinkedHashMap<>();
        List<Program> all = new ArrayList<>();
        all.add(request.parent());
        all.addAll(request.inspirations());
        all.addAll(request.topPrograms());
        all.forEach(p -> byId.putIfAbsent(p.candidateId(), p));
        return List.copyOf(byId.values());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
