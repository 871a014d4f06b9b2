package io.galapagos.controller.generation;

import io.galapagos.protocol.EvolveBlocks;
import io.galapagos.simulators.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffApplierLanguageTest {

    private static final String PYTHON = Resources.text(DiffApplierLanguageTest.class, "text/scheduler.py.txt");
    private static final String C = Resources.text(DiffApplierLanguageTest.class, "text/scheduler.c.txt");

    private static String applied(DiffApplier.Outcome outcome) {
        assertThat(outcome).isInstanceOf(DiffApplier.Applied.class);
        return ((DiffApplier.Applied) outcome).code();
    }

    private static String rejected(DiffApplier.Outcome outcome) {
        assertThat(outcome).isInstanceOf(DiffApplier.Rejected.class);
        return ((DiffApplier.Rejected) outcome).reason();
    }

    @Test
    void evolveBlockMarkersAreFoundBehindHashAndBlockComments() {
        EvolveBlocks python = EvolveBlocks.of(PYTHON, "the parent");
        EvolveBlocks c = EvolveBlocks.of(C, "the parent");

        assertThat(python.regions()).hasSize(1);
        assertThat(python.lines().get(python.regions().get(0).startMarker())).isEqualTo("# EVOLVE-BLOCK-START");
        assertThat(python.lines().get(python.regions().get(0).endMarker())).isEqualTo("# EVOLVE-BLOCK-END");
        assertThat(c.lines().get(c.regions().get(0).startMarker())).isEqualTo("/* EVOLVE-BLOCK-START */");
    }

    @Test
    void wholePythonProgramFencedAsPythonOrUntaggedIsAccepted() {
        String child = PYTHON.replace("    retries = 3\n", "    retries = 4\n");
        for (String fence : List.of("```python", "```py", "```")) {
            String answer = "More retries.\n" + fence + "\n" + child + "```\n";

            assertThat(applied(DiffApplier.applyAnswer(PYTHON, answer, AnswerFormat.FULL_REWRITE, SourceLanguage.PYTHON)))
                    .as(fence).isEqualTo(child);
        }
    }

    @Test
    void searchReplaceOnPythonKeepsItsIndentation() {
        String answer = "```python\n<<<<<<< SEARCH\n    if slack <= 0 or work_left >= deadline:\n"
                + "        return \"on-demand\"\n=======\n    if slack < 0 or work_left >= deadline:\n"
                + "        return \"on-demand\"\n>>>>>>> REPLACE\n```\n";

        assertThat(applied(DiffApplier.applyAnswer(PYTHON, answer, AnswerFormat.DIFF, SourceLanguage.PYTHON)))
                .isEqualTo(PYTHON.replace("if slack <= 0 or", "if slack < 0 or"));
    }

    @Test
    void pythonEditsOutsideTheBlockAreRejected() {
        String rewrite = "```python\n" + PYTHON.replace("LIMIT = 40", "LIMIT = 41") + "```\n";
        String diff = "<<<<<<< SEARCH\nLIMIT = 40  # outside the block: never touched\n=======\n"
                + "LIMIT = 41  # outside the block: never touched\n>>>>>>> REPLACE\n";

        assertThat(rejected(DiffApplier.applyAnswer(PYTHON, rewrite, AnswerFormat.FULL_REWRITE, SourceLanguage.PYTHON)))
                .startsWith("the rewritten program changes code outside the EVOLVE-BLOCK")
                .contains("'LIMIT = 40  # outside the block: never touched'");
        assertThat(rejected(DiffApplier.applyAnswer(PYTHON, diff, AnswerFormat.DIFF, SourceLanguage.PYTHON)))
                .contains("changes line 5 'LIMIT = 40", "outside the EVOLVE-BLOCK");
    }

    @Test
    void missingProgramIsNamedInTheTasksLanguage() {
        assertThat(rejected(DiffApplier.applyAnswer(PYTHON, "I would raise the margin.", AnswerFormat.FULL_REWRITE,
                SourceLanguage.PYTHON))).isEqualTo("the answer has no fenced python program containing the EVOLVE-BLOCK markers");
        assertThat(rejected(DiffApplier.applyAnswer(PYTHON, "I would raise the margin.", AnswerFormat.FULL_REWRITE)))
                .isEqualTo("the answer has no fenced java program containing the EVOLVE-BLOCK markers");
    }
}
