package io.galapagos.controller.island;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodeFingerprintTest {

    private static final String POLICY = """
            import java.util.List;

            public class Policy {
                private static final double MARGIN = 1.5;

                public double step(double slack) {
                    return slack > MARGIN ? 0.0 : 1.0;
                }
            }
            """;

    @Test
    void javaThatDiffersOnlyInLayoutAndCommentsIsTheSameProgram() {
        String relaid = """
                /** A policy. */
                import java.util.List;
                public class Policy {
                  // the threshold
                  private static final double MARGIN=1.5;   /* tuned */
                  public double step(double slack) { return slack>MARGIN ? 0.0 : 1.0; }
                }""";

        assertThat(CodeFingerprint.of(relaid)).isEqualTo(CodeFingerprint.of(POLICY));
    }

    @Test
    void aChangedConstantOperatorOrNameIsAnotherProgram() {
        assertThat(CodeFingerprint.of(POLICY.replace("1.5", "1.6"))).isNotEqualTo(CodeFingerprint.of(POLICY));
        assertThat(CodeFingerprint.of(POLICY.replace("slack > MARGIN", "slack >= MARGIN"))).isNotEqualTo(CodeFingerprint.of(POLICY));
        assertThat(CodeFingerprint.of(POLICY.replace("step(double slack)", "step(double s)")))
                .isNotEqualTo(CodeFingerprint.of(POLICY));
        // a comment's text inside a string literal is code
        assertThat(CodeFingerprint.of("class A { String s = \"// x\"; }")).isNotEqualTo(CodeFingerprint.of("class A { String s = \"\"; }"));
    }

    @Test
    void otherLanguagesKeepTheirIndentationButNotTrailingSpacesOrBlankLines() {
        String python = "def f(x):\n    if x:\n        a()\n    b()\n";

        assertThat(CodeFingerprint.of("def f(x):  \r\n\r\n    if x:\r\n        a()\r\n    b()\r\n"))
                .isEqualTo(CodeFingerprint.of(python));
        assertThat(CodeFingerprint.of("def f(x):\n    if x:\n        a()\n        b()\n"))
                .as("b() moved into the if").isNotEqualTo(CodeFingerprint.of(python));
    }
}
