package io.galapagos.deploy.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTest {

    @Test
    void equalProgramsHaveNoDiff() {
        assertThat(LineDiff.unified("a\nb\n", "a\nb\n", 3)).isEmpty();
    }

    @Test
    void aChangedLineShowsWithItsContextAndLineNumbers() {
        String before = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n";
        String after = "l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\n";

        assertThat(LineDiff.unified(before, after, 2)).isEqualTo("@@ -3,5 +3,5 @@\n l3\n l4\n-l5\n+L5\n l6\n l7\n");
    }

    @Test
    void changesFarApartMakeTwoHunksAndNearOnesOne() {
        StringBuilder before = new StringBuilder();
        for (int k = 1; k <= 30; k++) {
            before.append("line ").append(k).append('\n');
        }
        String far = before.toString().replace("line 2\n", "line two\n").replace("line 28\n", "line twenty-eight\n");
        String near = before.toString().replace("line 10\n", "line ten\n").replace("line 14\n", "line fourteen\n");

        assertThat(LineDiff.unified(before.toString(), far, 3)).containsOnlyOnce("@@ -1,5 +1,5 @@")
                .containsOnlyOnce("@@ -25,6 +25,6 @@");
        assertThat(LineDiff.unified(before.toString(), near, 3).lines().filter(l -> l.startsWith("@@"))).hasSize(1);
    }

    @Test
    void insertedAndRemovedLinesAreMatchedByTheirLongestCommonRun() {
        String before = "keep 1\ndrop\nkeep 2\nkeep 3\n";
        String after = "keep 1\nkeep 2\nnew\nkeep 3\n";

        assertThat(LineDiff.unified(before, after, 1))
                .isEqualTo("@@ -1,4 +1,4 @@\n keep 1\n-drop\n keep 2\n+new\n keep 3\n");
    }

    @Test
    void aMiddleTooLargeToMatchShowsAsRemovedAndAdded() {
        StringBuilder before = new StringBuilder("same\n");
        StringBuilder after = new StringBuilder("same\n");
        for (int k = 0; k < 2100; k++) {
            before.append("a").append(k).append('\n');
            after.append("b").append(k).append('\n');
        }

        String diff = LineDiff.unified(before.toString(), after.toString(), 1);

        assertThat(diff.lines().filter(l -> l.startsWith("-"))).hasSize(2100);
        assertThat(diff.lines().filter(l -> l.startsWith("+"))).hasSize(2100);
        assertThat(diff).startsWith("@@ -1,2101 +1,2101 @@\n same\n-a0\n");
    }
}
