package io.galapagos.controller.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TunableLiteralsTest {

    private static final String JAVA = String.join("\n",
            "class Policy {",
            "    static final double OUTSIDE = 3.5;",
            "    // EVOLVE-BLOCK-START",
            "    double margin(double gap) {",
            "        String label = \"retry 7 times\"; // 9 lives",
            "        /* 11 in a block comment */",
            "        long big = 40L;",
            "        float f = 0.5f;",
            "        for (int i = 0; i < 1; i++) { }",
            "        return gap * 2 + 1e-9 - pair.0;",
            "    }",
            "    // EVOLVE-BLOCK-END",
            "    double after() { return 4.25; }",
            "}");

    private static final String PYTHON = String.join("\n",
            "LIMIT = 100",
            "# EVOLVE-BLOCK-START",
            "def policy(x):",
            "    \"\"\"",
            "    threshold 12 in a docstring",
            "    \"\"\"",
            "    name = 'bucket 5'  # 6 in a comment",
            "    return x * 0.75 + 3",
            "# EVOLVE-BLOCK-END",
            "print(2.5)");

    private static final String C = String.join("\n",
            "#define SIZE 64",
            "// EVOLVE-BLOCK-START",
            "#define STEP 8",
            "unsigned scale(unsigned x) {",
            "    const char *s = \"42\";",
            "    return x * 3u + 0x10 + 2.0e3;",
            "}",
            "// EVOLVE-BLOCK-END");

    @Test
    void javaLiteralsInsideTheBlockOnlyNeitherInStringsNorCommentsNorZeroAndOne() {
        TunableLiterals literals = TunableLiterals.of(JAVA, SourceLanguage.JAVA, 10);

        assertThat(literals.literals()).extracting(TunableLiterals.Literal::text)
                .containsExactly("40L", "0.5f", "2", "1e-9");
        assertThat(literals.literals()).extracting(l -> l.number().integral()).containsExactly(true, false, true, false);
    }

    @Test
    void substitutionKeepsIntegersIntegersSuffixesAndEverythingElse() {
        TunableLiterals literals = TunableLiterals.of(JAVA, SourceLanguage.JAVA, 10);

        String tuned = literals.with(List.of(55.4, 0.6, 2.6, 1e-9));

        assertThat(tuned).isEqualTo(JAVA.replace("40L", "55L").replace("0.5f", "0.6f").replace("gap * 2", "gap * 3"));
        assertThat(literals.with(List.of(40.0, 0.5, 2.0, 1e-9))).as("unchanged values keep their text").isEqualTo(JAVA);
    }

    @Test
    void aLiteralNeverTurnsNegativeAndAFloatKeepsAFloatingForm() {
        TunableLiterals literals = TunableLiterals.of(JAVA, SourceLanguage.JAVA, 10);

        String tuned = literals.with(List.of(-3.0, 2.0, -1.0, 7.0));

        assertThat(tuned).contains("long big = 0L;", "float f = 2.0f;", "gap * 0 + 7.0 - pair.0");
    }

    @Test
    void pythonLiteralsSkipDocstringsStringsAndCommentsAndTheLinesOutside() {
        TunableLiterals literals = TunableLiterals.of(PYTHON, SourceLanguage.PYTHON, 10);

        assertThat(literals.literals()).extracting(TunableLiterals.Literal::text).containsExactly("0.75", "3");
        assertThat(literals.with(List.of(0.8125, 4.4))).isEqualTo(PYTHON.replace("x * 0.75 + 3", "x * 0.8125 + 4"));
    }

    @Test
    void cLiteralsSkipPreprocessorLinesHexAndStrings() {
        TunableLiterals literals = TunableLiterals.of(C, SourceLanguage.of("c"), 10);

        assertThat(literals.literals()).extracting(TunableLiterals.Literal::text).containsExactly("3u", "2.0e3");
        assertThat(literals.with(List.of(5.0, 2500.0))).isEqualTo(C.replace("3u", "5u").replace("2.0e3", "2500.0"));
    }

    @Test
    void atMostTheFirstLiteralsAreTaken() {
        assertThat(TunableLiterals.of(JAVA, SourceLanguage.JAVA, 2).literals())
                .extracting(TunableLiterals.Literal::text).containsExactly("40L", "0.5f");
    }
}
