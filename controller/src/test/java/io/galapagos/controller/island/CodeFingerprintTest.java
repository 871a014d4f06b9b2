package io.galapagos.controller.island;

import io.galapagos.controller.generation.SourceLanguage;
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
    void pythonThatDiffersOnlyInCommentsAndLayoutIsTheSameProgramButIndentationCounts() {
        String python = "def f(x):\n    if x:\n        a(x, 1)\n    b()\n";

        assertThat(CodeFingerprint.of("# the policy\ndef f(x):  \r\n\r\n    if x:   # when x\r\n"
                + "        a( x,1 )\r\n    b()\r\n", SourceLanguage.PYTHON))
                .isEqualTo(CodeFingerprint.of(python, SourceLanguage.PYTHON));
        assertThat(CodeFingerprint.of("def f(x):\n  if x:\n    a(x,\n      1)\n  b()\n", SourceLanguage.PYTHON))
                .as("another indentation width, and a call broken inside its brackets")
                .isEqualTo(CodeFingerprint.of(python, SourceLanguage.PYTHON));
        assertThat(CodeFingerprint.of("def f(x):\n    if x:\n        a(x, 1)\n        b()\n", SourceLanguage.PYTHON))
                .as("b() moved into the if").isNotEqualTo(CodeFingerprint.of(python, SourceLanguage.PYTHON));
        assertThat(CodeFingerprint.of("def f(x):\n    if x:\n        a(x, 2)\n    b()\n", SourceLanguage.PYTHON))
                .as("a changed argument").isNotEqualTo(CodeFingerprint.of(python, SourceLanguage.PYTHON));
        assertThat(CodeFingerprint.of("y = x // 2\n", SourceLanguage.PYTHON))
                .as("// divides in Python").isNotEqualTo(CodeFingerprint.of("y = x // 3\n", SourceLanguage.PYTHON));
    }

    @Test
    void cCommentsAndLayoutDoNotCount() {
        SourceLanguage c = SourceLanguage.of("c");
        String program = "int f(int x) {\n  return x > 2 ? 1 : 0;\n}\n";

        assertThat(CodeFingerprint.of("/* policy */ int f(int x) { // threshold\n return x>2?1:0; }", c))
                .isEqualTo(CodeFingerprint.of(program, c));
        assertThat(CodeFingerprint.of(program.replace("2", "3"), c)).isNotEqualTo(CodeFingerprint.of(program, c));
        assertThat(CodeFingerprint.of("char *s = \"/* x */\";", c)).as("a comment's text inside a string is code")
                .isNotEqualTo(CodeFingerprint.of("char *s = \"\";", c));
    }
}
