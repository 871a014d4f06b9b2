package io.galapagos.controller.island;

import io.galapagos.controller.generation.PromptPlan;
import io.galapagos.controller.generation.PromptVariant;
import io.galapagos.controller.generation.PromptVariants;
import io.galapagos.controller.generation.Usage;
import io.galapagos.protocol.EvaluationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Which prompt variant an island draws, and what its history teaches the fix prompt and the summary. */
@Timeout(30)
class VariantChoiceTest {

    private static final PromptVariants ALL = new PromptVariants(0.5, 0.25, 0.25);
    private static final PromptVariants ONLY_FIX = new PromptVariants(0, 1, 0);
    private static final PromptVariants ONLY_CROSSOVER = new PromptVariants(0, 0, 1);

    private static Individual program(String id, String code, double score) {
        return new Individual(id, code, score, Map.of("m", score), "", "r/0", Optional.empty(), Optional.empty());
    }

    private static Population population(Individual... programs) {
        Population population = Population.empty();
        for (Individual p : programs) {
            population = population.insert(p, "m", 4, 10);
        }
        return population;
    }

    private static final Individual A = program("r/0/1", "class A { int x = 1; }", 1.0);
    private static final Individual B = program("r/0/2", "class B { int y = 2; }", 2.0);

    /** Lessons holding one failed child of {@code parentId}. */
    private static Lessons brokenChildOf(String parentId) {
        Island.Pending child = new Island.Pending("class A { int x = oops; }", Optional.of(parentId), Optional.empty(),
                Optional.of(new Lessons.Origin("fake-coder", "use oops", Optional.of(PromptVariant.IMPROVE),
                        Optional.of(1.0))));
        return Lessons.NONE.evaluated("r/0/5", child, evaluated("r/0/5", EvaluationStatus.COMPILE_ERROR, 0), 3);
    }

    private static Island.CandidateEvaluated evaluated(String id, EvaluationStatus status, double score) {
        return new Island.CandidateEvaluated(id, status, score, Map.of(), status.succeeded() ? "" : "line 1: cannot find symbol oops",
                "TRAIN", 5, "w", Optional.empty());
    }

    @Test
    void aFixIsDrawnOnlyForAFailedChildWhoseParentIsStillInThePopulationAndThatParentIsTheProposals() {
        VariantChoice fix = VariantChoice.choose(ONLY_FIX, B, population(A, B), brokenChildOf(A.candidateId()),
                new SplittableRandom(1));

        assertThat(fix.plan().variant()).isEqualTo(PromptVariant.FIX);
        assertThat(fix.parent()).as("the failed child's parent, not the selection's").isEqualTo(A);
        assertThat(fix.plan().failedChild().orElseThrow()).returns("r/0/5", PromptPlan.FailedChild::candidateId)
                .returns("class A { int x = oops; }", PromptPlan.FailedChild::code)
                .returns("COMPILE_ERROR: line 1: cannot find symbol oops", PromptPlan.FailedChild::reason);

        assertThat(VariantChoice.choose(ONLY_FIX, B, population(B), brokenChildOf(A.candidateId()), new SplittableRandom(1)))
                .as("its parent left the population").returns(PromptPlan.IMPROVE, VariantChoice::plan);
        assertThat(VariantChoice.choose(ONLY_FIX, B, population(A, B), Lessons.NONE, new SplittableRandom(1)))
                .as("nothing failed").returns(PromptPlan.IMPROVE, VariantChoice::plan);
        assertThat(brokenChildOf(A.candidateId()).fixing("r/0/5").toFix(population(A, B)))
                .as("a child is offered for one fix only").isEmpty();
    }

    @Test
    void aCrossoverNeedsASecondProgramWhoseCodeDiffersFromTheParents() {
        VariantChoice cross = VariantChoice.choose(ONLY_CROSSOVER, A, population(A, B), Lessons.NONE, new SplittableRandom(2));

        assertThat(cross.plan().variant()).isEqualTo(PromptVariant.CROSSOVER);
        assertThat(cross.parent()).isEqualTo(A);
        assertThat(cross.plan().partner().orElseThrow()).isEqualTo(B.asProgram());

        assertThat(VariantChoice.choose(ONLY_CROSSOVER, A, population(A), Lessons.NONE, new SplittableRandom(2)).plan())
                .as("one program").isEqualTo(PromptPlan.IMPROVE);
        Individual copy = program("r/1/9", A.code(), 1.5);
        assertThat(VariantChoice.choose(ONLY_CROSSOVER, A, population(A, copy), Lessons.NONE, new SplittableRandom(2)).plan())
                .as("a migrant with the parent's code").isEqualTo(PromptPlan.IMPROVE);
    }

    @Test
    void theDrawIsTheSameForASeedAndFollowsTheWeightsOfThePossibleVariants() {
        Population both = population(A, B);
        Lessons broken = brokenChildOf(A.candidateId());
        assertThat(draws(both, broken, 11)).isEqualTo(draws(both, broken, 11)).isNotEqualTo(draws(both, broken, 12));

        Map<PromptVariant, Integer> counts = new EnumMap<>(PromptVariant.class);
        draws(both, broken, 3).forEach(v -> counts.merge(v, 1, Integer::sum));
        assertThat(counts.get(PromptVariant.IMPROVE) / 4000.0).isCloseTo(0.5, within(0.03));
        assertThat(counts.get(PromptVariant.FIX) / 4000.0).isCloseTo(0.25, within(0.03));
        assertThat(counts.get(PromptVariant.CROSSOVER) / 4000.0).isCloseTo(0.25, within(0.03));
    }

    private static List<PromptVariant> draws(Population population, Lessons lessons, long seed) {
        List<PromptVariant> drawn = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            drawn.add(VariantChoice.choose(ALL, B, population, lessons, new SplittableRandom(seed * 100_000 + i))
                    .plan().variant());
        }
        return drawn;
    }

    @Test
    void lessonsKeepTheLatestImprovementsWithTheirGainAndCountFailuresMostCommonFirst() {
        Lessons lessons = Lessons.NONE;
        for (int i = 0; i < 7; i++) {
            Island.Pending child = new Island.Pending("class C" + i + " {}", Optional.of(A.candidateId()), Optional.empty(),
                    Optional.of(new Lessons.Origin("fake-coder", "idea " + i,
                            Optional.of(i % 2 == 0 ? PromptVariant.CROSSOVER : PromptVariant.FIX), Optional.of(1.0))));
            lessons = lessons.evaluated("r/0/" + (10 + i), child, evaluated("r/0/" + (10 + i), EvaluationStatus.OK, 1.0 + i), 3);
        }
        Island.ProposalFailed repeat = new Island.ProposalFailed(30, A.candidateId(), "fake-coder", "duplicate of r/0/1",
                Usage.NONE, false, Optional.of(new Island.Repeat("r/0/1", true, 1.0, Optional.of(1.0))));
        Island.ProposalFailed call = new Island.ProposalFailed(31, A.candidateId(), "fake-coder", "HTTP 500",
                Usage.NONE, true);
        lessons = lessons.proposalFailed(repeat).proposalFailed(call);

        PromptPlan.SearchSummary summary = lessons.summary(Map.of("COMPILE_ERROR", 4L, "TIMEOUT", 2L));

        assertThat(summary.evaluated()).isEqualTo(7);
        assertThat(summary.improved()).as("the first child only equalled its parent").isEqualTo(6);
        assertThat(summary.improvements()).hasSize(Lessons.SHOWN).last()
                .returns("r/0/16", PromptPlan.Improvement::candidateId)
                .returns(Optional.of(PromptVariant.CROSSOVER), PromptPlan.Improvement::variant)
                .returns(6.0, PromptPlan.Improvement::gain)
                .returns("idea 6", PromptPlan.Improvement::summary);
        assertThat(summary.failures()).extracting(PromptPlan.FailureCount::reason).as("a failed call teaches nothing")
                .containsExactly("evaluation compile error", "evaluation timeout", "proposal repeated an earlier program");
    }
}
