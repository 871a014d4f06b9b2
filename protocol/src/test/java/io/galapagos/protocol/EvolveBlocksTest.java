package io.galapagos.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EVOLVE-BLOCK rule as one table: may {@code child} replace {@code parent}? Each row names the case,
 * gives both programs and the verdict: {@code allowed}, or the refusal's line and message.
 */
class EvolveBlocksTest {

    private static final String JAVA = "class A {\n    // EVOLVE-BLOCK-START\n    int x = 1;\n    // EVOLVE-BLOCK-END\n}\n";
    private static final String PYTHON = "import math\n# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\nprint(x)\n";
    private static final String TWO = "a\n// EVOLVE-BLOCK-START\nb\n// EVOLVE-BLOCK-END\nc\n// EVOLVE-BLOCK-START\nd\n"
            + "// EVOLVE-BLOCK-END\ne\n";

    static Stream<Arguments> rule() {
        return Stream.of(
                // rule 1: marker lines, in the comments of many languages
                row("java line comments", JAVA, JAVA.replace("x = 1", "x = 2"), "allowed"),
                row("python hash comments", PYTHON, PYTHON.replace("x = 1", "x = 2"), "allowed"),
                row("c block comments", "int a;\n/* EVOLVE-BLOCK-START */\nint b;\n/* EVOLVE-BLOCK-END */\n",
                        "int a;\n/* EVOLVE-BLOCK-START */\nint b = 2;\n/* EVOLVE-BLOCK-END */\n", "allowed"),
                row("sql, lisp, tex and html comments",
                        "-- EVOLVE-BLOCK-START\n1\n;; EVOLVE-BLOCK-END\n% EVOLVE-BLOCK-START\n2\n<!-- EVOLVE-BLOCK-END -->\n",
                        "-- EVOLVE-BLOCK-START\n3\n;; EVOLVE-BLOCK-END\n% EVOLVE-BLOCK-START\n4\n<!-- EVOLVE-BLOCK-END -->\n",
                        "allowed"),
                row("ocaml and haskell comments, repeated openers",
                        "(* EVOLVE-BLOCK-START *)\n1\n{- EVOLVE-BLOCK-END -}\n/// EVOLVE-BLOCK-START\n2\n## EVOLVE-BLOCK-END\n",
                        "(* EVOLVE-BLOCK-START *)\n3\n{- EVOLVE-BLOCK-END -}\n/// EVOLVE-BLOCK-START\n4\n## EVOLVE-BLOCK-END\n",
                        "allowed"),
                row("no blank after the opener, text after the marker", "//EVOLVE-BLOCK-START: the policy\n1\n#EVOLVE-BLOCK-END.\n",
                        "//EVOLVE-BLOCK-START: the policy\n2\n#EVOLVE-BLOCK-END.\n", "allowed"),
                row("code before the marker is no marker", "x = 1  # EVOLVE-BLOCK-START\ny\n# EVOLVE-BLOCK-END\n",
                        "x = 1  # EVOLVE-BLOCK-START\nz\n# EVOLVE-BLOCK-END\n",
                        "3: the parent has EVOLVE-BLOCK-END at line 3 without a EVOLVE-BLOCK-START"),
                row("a string is no marker", "s = \"// EVOLVE-BLOCK-START\"\ny\n", "s = \"// EVOLVE-BLOCK-START\"\nz\n",
                        "0: the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines"),
                row("a comment that mentions the markers is no marker",
                        "# Only lines between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END change\ny\n",
                        "# Only lines between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END change\nz\n",
                        "0: the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines"),
                row("a longer word is no marker", "// EVOLVE-BLOCK-STARTED\ny\n// EVOLVE-BLOCK-END\n",
                        "// EVOLVE-BLOCK-STARTED\nz\n// EVOLVE-BLOCK-END\n",
                        "3: the parent has EVOLVE-BLOCK-END at line 3 without a EVOLVE-BLOCK-START"),
                row("an unknown comment opener is no marker", "REM EVOLVE-BLOCK-START\ny\nREM EVOLVE-BLOCK-END\n",
                        "REM EVOLVE-BLOCK-START\nz\nREM EVOLVE-BLOCK-END\n",
                        "0: the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines"),
                // rule 2: blocks are well formed in the parent and in the child
                row("the child nests a second START", JAVA,
                        JAVA.replace("int x = 1;", "// EVOLVE-BLOCK-START\n    int x = 1;"),
                        "3: the child opens a second EVOLVE-BLOCK-START at line 3 before closing the one at line 2"),
                row("the child adds an END after the block", JAVA, JAVA.replace("}\n", "}\n// EVOLVE-BLOCK-END\n"),
                        "6: the child has EVOLVE-BLOCK-END at line 6 without a EVOLVE-BLOCK-START"),
                row("the child drops the END", JAVA, JAVA.replace("    // EVOLVE-BLOCK-END\n", ""),
                        "2: the child never closes the EVOLVE-BLOCK-START at line 2"),
                row("the parent never closes its block", "// EVOLVE-BLOCK-START\nx\n", "// EVOLVE-BLOCK-START\ny\n",
                        "1: the parent never closes the EVOLVE-BLOCK-START at line 1"),
                // rule 3: only lines strictly inside the blocks change
                row("the child splits the block in two", JAVA,
                        JAVA.replace("int x = 1;", "int x = 1;\n    // EVOLVE-BLOCK-END\n    // EVOLVE-BLOCK-START"),
                        "0: the child has 2 EVOLVE-BLOCKs, the parent 1"),
                row("a line before the block changes", JAVA, JAVA.replace("class A", "final class A"),
                        "1: code outside the EVOLVE-BLOCK (lines 3-3) changed: expected `class A {`, found `final class A {`"),
                row("a line after the block is added", PYTHON, PYTHON.replace("print(x)", "x = 2\nprint(x)"),
                        "5: code outside the EVOLVE-BLOCK (lines 3-3) changed: expected `print(x)`, found `x = 2`"),
                row("the last line is removed", PYTHON.strip(), PYTHON.strip().replace("\nprint(x)", ""),
                        "5: code outside the EVOLVE-BLOCK (lines 3-3) changed: removed `print(x)`"),
                row("a line is appended at the end", JAVA, JAVA + "// more\n",
                        "6: code outside the EVOLVE-BLOCK (lines 3-3) changed: expected ``, found `// more`"),
                row("a marker line's comment changes", JAVA, JAVA.replace("// EVOLVE-BLOCK-END", "// EVOLVE-BLOCK-END here"),
                        "4: code outside the EVOLVE-BLOCK (lines 3-3) changed: expected `// EVOLVE-BLOCK-END`, "
                                + "found `// EVOLVE-BLOCK-END here`"),
                row("trailing blanks and line endings outside do not count", JAVA,
                        JAVA.replace("class A {\n", "class A {  \r\n").replace("x = 1", "x = 3"), "allowed"),
                row("two blocks change at once", TWO, TWO.replace("b\n", "bb\n").replace("d\n", "dd\n"), "allowed"),
                row("a line between two blocks changes", TWO, TWO.replace("c\n", "cc\n").replace("b\n", "b1\nb2\n"),
                        "6: code outside the EVOLVE-BLOCKs (lines 3-3, lines 7-7) changed: expected `c`, found `cc`"),
                row("the child equals its parent", TWO, TWO, "allowed"),
                // rule 4: a parent without blocks lets nothing change
                row("a parent without markers", "a\nb\n", "a\nc\n",
                        "0: the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines"));
    }

    private static Arguments row(String name, String parent, String child, String verdict) {
        return Arguments.of(name, parent, child, verdict);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rule")
    void aChildMayReplaceItsParentOnlyByChangingLinesInsideItsBlocks(String name, String parent, String child,
            String verdict) {
        String actual = EvolveBlocks.check(parent, child).map(r -> r.line() + ": " + r.message()).orElse("allowed");

        assertThat(actual).as(name).isEqualTo(verdict);
    }
}
