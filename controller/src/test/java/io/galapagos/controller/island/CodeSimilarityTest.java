package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodeSimilarityTest {

    /** Enough tokens that one changed token leaves most trigrams. */
    private static final String POLICY = """
            public class Policy {
                // EVOLVE-BLOCK-START
                private static final double MARGIN = 1.5;
                private int ticks;

                public int step(double slack, double remaining, boolean spot) {
                    ticks++;
                    if (slack > MARGIN * remaining) {
                        return spot ? 1 : 0;
                    }
                    if (ticks % 10 == 0 && spot) {
                        return 1;
                    }
                    return 2;
                }
                // EVOLVE-BLOCK-END
            }
            """;

    private static double similarity(String a, String b) {
        return CodeSimilarity.of(CodeSimilarity.shingles(a, SourceLanguage.JAVA),
                CodeSimilarity.shingles(b, SourceLanguage.JAVA));
    }

    @Test
    void layoutAndCommentsLeaveProgramsIdentical() {
        String relaid = POLICY.replace("    ", "  ").replace("// EVOLVE-BLOCK-START", "/* tuned */");

        assertThat(similarity(relaid, POLICY)).isEqualTo(1.0);
    }

    @Test
    void oneChangedTokenIsNearlyTheSameAndARewrittenConditionIsLess() {
        double constant = similarity(POLICY.replace("1.5", "1.6"), POLICY);
        double rewritten = similarity(POLICY.replace("ticks % 10 == 0 && spot", "remaining < 100 || ticks > 50"),
                POLICY);

        assertThat(constant).isLessThan(1.0).isGreaterThan(0.9);
        assertThat(rewritten).isLessThan(constant);
        assertThat(similarity("class A { int f() { return 1; } }", POLICY)).isLessThan(0.2);
    }
}
