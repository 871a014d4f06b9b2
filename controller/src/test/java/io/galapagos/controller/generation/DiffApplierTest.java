package io.galapagos.controller.generation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffApplierTest {

    private final String parent = Fixtures.greedy();

    private static String block(String search, String replace) {
        return "<<<<<<< SEARCH\n" + search + "\n=======\n" + replace + "\n>>>>>>> REPLACE\n";
    }

    private static String code(DiffApplier.Outcome outcome) {
        assertThat(outcome).isInstanceOf(DiffApplier.Applied.class);
        return ((DiffApplier.Applied) outcome).code();
    }

    private static String reason(DiffApplier.Outcome outcome) {
        assertThat(outcome).isInstanceOf(DiffApplier.Rejected.class);
        return ((DiffApplier.Rejected) outcome).reason();
    }

    @Test
    void exactBlockReplacesItsLinesInsideTheEvolveBlock() {
        String answer = block("        if (needOne >= left) {", "        if (needOne > left) {");

        String child = code(DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF));

        assertThat(child).contains("if (needOne > left) {").doesNotContain("if (needOne >= left) {");
        assertThat(child.replace("needOne > left", "needOne >= left")).isEqualTo(parent);
    }

    @Test
    void severalBlocksInFencesApplyInOrderAndProseAroundThemIsIgnored() {
        String answer = "I will make the policy braver.\n\n```java\n"
                + block("        double needTwo = Math.ceil((remainingWork + 2 * overhead) / gap);",
                        "        double needTwo = Math.ceil((remainingWork + 3 * overhead) / gap);")
                + "```\nAnd then, building on that change:\n```\n"
                + block("        double needTwo = Math.ceil((remainingWork + 3 * overhead) / gap);",
                        "        double needTwo = Math.floor((remainingWork + 3 * overhead) / gap);")
                + "```\nThis should save money.";

        DiffApplier.Outcome outcome = DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF);

        assertThat(code(outcome)).contains("Math.floor((remainingWork + 3 * overhead) / gap)");
        assertThat(((DiffApplier.Applied) outcome).summary()).isEqualTo("2 SEARCH/REPLACE blocks");
    }

    @Test
    void searchWithOtherIndentationMatchesIgnoringItAndReplacementTakesTheProgramsIndentation() {
        String answer = block("if (hasSpot) {\n    return ClusterType.SPOT;\n} else {",
                "if (hasSpot && left > needTwo + 1) {\n    return ClusterType.SPOT;\n} else {");

        DiffApplier.Outcome outcome = DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF);

        assertThat(code(outcome)).contains("        if (hasSpot && left > needTwo + 1) {\n            return ClusterType.SPOT;\n        } else {");
        assertThat(((DiffApplier.Applied) outcome).summary()).contains("1 matched ignoring indentation");
    }

    @Test
    void trailingSpacesInSearchStillMatch() {
        String answer = block("        if (needOne >= left) {   ", "        if (needOne - 1 >= left) {");

        assertThat(code(DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF))).contains("if (needOne - 1 >= left) {");
    }

    @Test
    void searchThatMatchesNothingIsRejectedNamingTheBlockAndTheDifferingLine() {
        String answer = block("        if (needOne >= left) {\n            return ClusterType.ON_DEMAND;",
                "        if (needOne >= left) {\n            return ClusterType.SPOT;")
                + block("        if (needOne >= left) {\n            return ClusterType.SPOT;\n        } else if (needTwo > left) {",
                "        if (needOne >= left) {");

        String reason = reason(DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF));

        assertThat(reason).startsWith("block 2 of 2: SEARCH matches nothing")
                .contains("first 2 lines match at line 17")
                .contains("SEARCH line 3 '} else if (needTwo > left) {' differs from line 19 '} else if (needTwo >= left) {'");
    }

    @Test
    void searchWhoseFirstLineOccursNowhereSaysSo() {
        String reason = reason(DiffApplier.applyAnswer(parent, block("int unknown = 1;", "int unknown = 2;"), AnswerFormat.DIFF));

        assertThat(reason).isEqualTo("the block: SEARCH matches nothing in the program, not even ignoring indentation;"
                + " its first line 'int unknown = 1;' occurs nowhere");
    }

    @Test
    void searchThatMatchesTwoPlacesIsRejectedAsAmbiguousWithTheirLines() {
        String reason = reason(DiffApplier.applyAnswer(parent,
                block("            return ClusterType.ON_DEMAND;", "            return ClusterType.SPOT;"), AnswerFormat.DIFF));

        assertThat(reason).isEqualTo("the block: SEARCH matches 2 places (lines 18, 23); include more surrounding lines"
                + " so that it matches exactly one");
    }

    @Test
    void editOutsideTheEvolveBlockIsRejectedNamingTheLine() {
        String reason = reason(DiffApplier.applyAnswer(parent,
                block("        return \"greedy safety\";", "        return \"brave\";"), AnswerFormat.DIFF));

        assertThat(reason).startsWith("the block: changes line 35 'return \"greedy safety\";', outside the EVOLVE-BLOCK (lines 9-30)");
    }

    @Test
    void editThatRemovesAMarkerIsRejected() {
        String reason = reason(DiffApplier.applyAnswer(parent,
                block("    }\n    // EVOLVE-BLOCK-END", "    }"), AnswerFormat.DIFF));

        assertThat(reason).contains("changes line 31 '// EVOLVE-BLOCK-END', outside the EVOLVE-BLOCK");
    }

    @Test
    void insertionJustAfterTheBlockEndIsRejected() {
        String reason = reason(DiffApplier.applyAnswer(parent,
                block("    // EVOLVE-BLOCK-END\n", "    // EVOLVE-BLOCK-END\n    private int calls;\n"), AnswerFormat.DIFF));

        assertThat(reason).contains("outside the EVOLVE-BLOCK");
    }

    @Test
    void markerLinesMayServeAsContextWhenTheChangeIsInside() {
        String answer = block("    // EVOLVE-BLOCK-START\n    @Override",
                "    // EVOLVE-BLOCK-START\n    private static final double SLACK = 2.0;\n\n    @Override");

        assertThat(code(DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF)))
                .contains("// EVOLVE-BLOCK-START\n    private static final double SLACK = 2.0;\n\n    @Override");
    }

    @Test
    void blocksThatChangeNothingAreRejected() {
        String line = "        if (needOne >= left) {";

        assertThat(reason(DiffApplier.applyAnswer(parent, block(line, line), AnswerFormat.DIFF)))
                .isEqualTo("the SEARCH/REPLACE blocks change nothing: each REPLACE equals its SEARCH");
    }

    @Test
    void truncatedBlockIsRejectedRatherThanGuessed() {
        String answer = "<<<<<<< SEARCH\n        if (needOne >= left) {\n=======\n        if (needOne > left) {\n";

        assertThat(reason(DiffApplier.applyAnswer(parent, answer, AnswerFormat.DIFF)))
                .isEqualTo("block 1: the answer ends before its >>>>>>> REPLACE (truncated answer?)");
    }

    @Test
    void emptySearchIsRejected() {
        assertThat(reason(DiffApplier.applyAnswer(parent, block("", "int x;"), AnswerFormat.DIFF)))
                .isEqualTo("the block: SEARCH is empty; quote the exact lines to replace");
    }

    @Test
    void proseWithoutCodeIsRejected() {
        assertThat(reason(DiffApplier.applyAnswer(parent, "I think the policy is already optimal.", AnswerFormat.DIFF)))
                .startsWith("the answer has no SEARCH/REPLACE block");
    }

    @Test
    void parentWithoutMarkersIsRejected() {
        String unmarked = parent.replace("// EVOLVE-BLOCK-START", "").replace("// EVOLVE-BLOCK-END", "");

        assertThat(reason(DiffApplier.applyAnswer(unmarked, block("x", "y"), AnswerFormat.DIFF)))
                .isEqualTo("the parent has no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END comment lines");
    }

    @Test
    void fullRewriteThatChangesOnlyTheBlockIsTakenAndKeepsTheParentsOutsideText() {
        String rewritten = parent.replace("needOne >= left", "needOne + 1 >= left")
                .replace("    public String toString() {", "    public String toString() {   "); // trailing spaces only
        String answer = "Here is the improved policy:\n```java\n" + rewritten + "```\n";

        DiffApplier.Outcome outcome = DiffApplier.applyAnswer(parent, answer, AnswerFormat.FULL_REWRITE);

        assertThat(code(outcome)).isEqualTo(parent.replace("needOne >= left", "needOne + 1 >= left"));
        assertThat(((DiffApplier.Applied) outcome).summary()).isEqualTo("full rewrite");
    }

    @Test
    void fullRewriteThatChangesCodeOutsideTheBlockIsRejected() {
        String answer = "```java\n" + parent.replace("needOne >= left", "needOne > left")
                .replace("\"greedy safety\"", "\"brave\"") + "```";

        assertThat(reason(DiffApplier.applyAnswer(parent, answer, AnswerFormat.FULL_REWRITE)))
                .isEqualTo("the rewritten program changes code outside the EVOLVE-BLOCK (lines 9-30): where the parent"
                        + " has 'return \"greedy safety\";' it has 'return \"brave\";'");
    }

    @Test
    void fullRewriteWithoutMarkersIsNotTakenForAProgram() {
        String answer = "```java\npublic class Brave { }\n```";

        assertThat(reason(DiffApplier.applyAnswer(parent, answer, AnswerFormat.FULL_REWRITE)))
                .isEqualTo("the answer has no fenced java program containing the EVOLVE-BLOCK markers");
    }

    @Test
    void fullRewriteIdenticalToTheParentIsRejected() {
        assertThat(reason(DiffApplier.applyAnswer(parent, "```java\n" + parent + "```", AnswerFormat.FULL_REWRITE)))
                .isEqualTo("the rewritten program's EVOLVE-BLOCK is identical to the parent's");
    }

    @Test
    void diffModeAcceptsAWholeProgramAndRewriteModeAcceptsBlocks() {
        String program = "```java\n" + parent.replace("needOne >= left", "needOne > left") + "```";
        String blocks = block("        if (needOne >= left) {", "        if (needOne > left) {");

        assertThat(code(DiffApplier.applyAnswer(parent, program, AnswerFormat.DIFF)))
                .isEqualTo(code(DiffApplier.applyAnswer(parent, blocks, AnswerFormat.FULL_REWRITE)));
    }

    @Test
    void parsedBlocksRenderBackToTheSameBlocks() {
        List<EditBlock> blocks = DiffApplier.parseBlocks("prose\n" + block("a\n  b", "c") + "more prose\n" + block("d", ""));

        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).search()).containsExactly("a", "  b");
        assertThat(blocks.get(1).replace()).containsExactly("");
        assertThat(DiffApplier.parseBlocks(blocks.get(0).render() + blocks.get(1).render())).isEqualTo(blocks);
    }

    @Test
    void dividerOutsideABlockIsReportedAsMalformed() {
        assertThat(reason(DiffApplier.applyAnswer(parent, "=======\nfoo\n>>>>>>> REPLACE\n", AnswerFormat.DIFF)))
                .isEqualTo("block 1: '=======' without a preceding <<<<<<< SEARCH");
    }
}
